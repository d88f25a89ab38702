/**
 * Questions as LLM apps send them, each asked three or four ways (paraphrases: the same request),
 * with distractors (a related request that is NOT the same: another entity, number, direction or
 * object). Written by hand in the style of QQP/PAWS pairs. Intents with an even index are the
 * development half (the lexicon was tuned on them), odd ones the held-out test half.
 */
export interface Intent {
  readonly id: string;
  readonly variants: readonly string[];
  readonly distractors: readonly string[];
}

export const INTENTS: readonly Intent[] = [
  {
    id: 'password-reset',
    variants: [
      'How do I reset my password?',
      "What's the process for resetting my password?",
      'I forgot my password. How can I reset it?',
      'Steps to reset a forgotten password?',
    ],
    distractors: [
      'How do I change the email address on my account?',
      'How do I reset my two-factor authentication device?',
    ],
  },
  {
    id: 'refund-status',
    variants: [
      'Where is my refund for order 48213?',
      'What is the status of the refund on order 48213?',
      'Has the refund for order #48213 been processed yet?',
    ],
    distractors: ['Where is my refund for order 48231?', 'Where is the replacement item for order 48213?'],
  },
  {
    id: 'shipping-canada',
    variants: [
      'How long does shipping to Canada take?',
      'What is the delivery time for orders shipped to Canada?',
      'How many days does it take for an order to arrive in Canada?',
    ],
    distractors: ['How long does shipping to Mexico take?', 'How much does shipping to Canada cost?'],
  },
  {
    id: 'q3-findings',
    variants: [
      'Summarize the key findings of the Q3 revenue report.',
      'Give me a summary of the main findings in the Q3 revenue report.',
      'What are the principal takeaways from the Q3 revenue report?',
    ],
    distractors: [
      'Summarize the key findings of the Q4 revenue report.',
      'List the risks mentioned in the Q3 revenue report.',
    ],
  },
  {
    id: 'capital-australia',
    variants: [
      'What is the capital of Australia?',
      'Which city is the capital of Australia?',
      'Name the capital city of Australia.',
    ],
    distractors: ['What is the capital of Austria?', 'What is the largest city in Australia?'],
  },
  {
    id: 'python-sort',
    variants: [
      'How do I sort a list of dictionaries by a key in Python?',
      'In Python, how can I sort a list of dicts by one of their keys?',
      "What's the way to order a Python list of dictionaries by a specific key?",
    ],
    distractors: [
      'How do I sort a list of dictionaries by a key in JavaScript?',
      'How do I filter a list of dictionaries by a key in Python?',
    ],
  },
  {
    id: 'berlin-weather',
    variants: [
      'What will the weather be like in Berlin tomorrow?',
      "Tomorrow's weather forecast for Berlin?",
      'How is the weather going to be in Berlin tomorrow?',
    ],
    distractors: [
      'What will the weather be like in Berlin on Friday?',
      'What will the weather be like in Munich tomorrow?',
    ],
  },
  {
    id: 'supplier-termination',
    variants: [
      'Does the contract allow the supplier to terminate early?',
      'Can the supplier terminate the contract early under its terms?',
      'Under this contract, is early termination by the supplier allowed?',
    ],
    distractors: [
      'Does the contract allow the customer to terminate early?',
      'Does the contract allow the supplier to raise prices?',
    ],
  },
  {
    id: 'usd-eur',
    variants: ['Convert 250 US dollars to euros.', 'How much is 250 dollars in euros?', 'What is 250 USD in EUR?'],
    distractors: ['Convert 250 euros to US dollars.', 'Convert 520 US dollars to euros.'],
  },
  {
    id: 'meeting-tuesday',
    variants: [
      'Schedule a meeting with the design team next Tuesday at 3pm.',
      'Set up a meeting with the design team for 3pm next Tuesday.',
      'Book a 3pm meeting next Tuesday with the design team.',
    ],
    distractors: [
      'Schedule a meeting with the design team next Wednesday at 3pm.',
      'Schedule a meeting with the sales team next Tuesday at 3pm.',
    ],
  },
  {
    id: 'flight-nyc-lon',
    variants: [
      'Find flights from New York to London on May 12.',
      'Search for flights from New York to London for May 12.',
      'Show me May 12 flights from New York to London.',
    ],
    distractors: ['Find flights from London to New York on May 12.', 'Find hotels in London on May 12.'],
  },
  {
    id: 'invoice-total',
    variants: [
      'What is the total amount due on invoice INV-2291?',
      'How much is owed in total on invoice INV-2291?',
      'Tell me the total due for invoice INV-2291.',
    ],
    distractors: ['What is the total amount due on invoice INV-2219?', 'What is the due date of invoice INV-2291?'],
  },
  {
    id: 'cancel-subscription',
    variants: [
      'How can I cancel my subscription?',
      'What do I need to do to cancel my subscription?',
      "I'd like to cancel my subscription, how do I do that?",
    ],
    distractors: ['How can I pause my subscription?', 'How can I upgrade my subscription?'],
  },
  {
    id: 'sql-duplicates',
    variants: [
      'Write a SQL query to find duplicate emails in the users table.',
      'SQL query that finds duplicate email addresses in the users table?',
      'How do I query the users table for duplicate emails in SQL?',
    ],
    distractors: [
      'Write a SQL query to delete duplicate emails in the users table.',
      'Write a SQL query to find duplicate emails in the customers table.',
    ],
  },
  {
    id: 'error-rate',
    variants: [
      'Why did the checkout error rate spike on Monday?',
      "What caused Monday's spike in checkout errors?",
      'What is the reason the checkout error rate jumped on Monday?',
    ],
    distractors: ['Why did the checkout error rate spike on Sunday?', 'Why did the login error rate spike on Monday?'],
  },
  {
    id: 'vacation-policy',
    variants: [
      'How many vacation days do new employees get?',
      'What is the vacation allowance for new employees?',
      'How much paid vacation do new hires receive?',
    ],
    distractors: ['How many sick days do new employees get?', 'How many vacation days do managers get?'],
  },
  {
    id: 'translate-greeting',
    variants: [
      'How do you say "good morning" in Japanese?',
      'What is "good morning" in Japanese?',
      'Translate "good morning" into Japanese.',
    ],
    distractors: ['How do you say "good night" in Japanese?', 'How do you say "good morning" in Korean?'],
  },
  {
    id: 'battery-life',
    variants: [
      'What is the battery life of the X200 headphones?',
      'How long does the battery last on the X200 headphones?',
      'How many hours of battery do the X200 headphones have?',
    ],
    distractors: ['What is the battery life of the X300 headphones?', 'What is the warranty on the X200 headphones?'],
  },
  {
    id: 'churn-drivers',
    variants: [
      'What are the main reasons customers churned last quarter?',
      'Why did customers leave us last quarter? List the main reasons.',
      'Identify the key drivers of customer churn in the last quarter.',
    ],
    distractors: [
      'What are the main reasons customers upgraded last quarter?',
      'How many customers churned last quarter?',
    ],
  },
  {
    id: 'docker-port',
    variants: [
      'How do I expose port 8080 from a Docker container?',
      'How can I publish port 8080 of a Docker container?',
      "What's the way to make port 8080 of a Docker container reachable?",
    ],
    distractors: [
      'How do I expose port 8443 from a Docker container?',
      'How do I limit the memory of a Docker container?',
    ],
  },
  {
    id: 'return-window',
    variants: [
      'How many days do I have to return an item?',
      'What is the return window for purchases?',
      'How long is the return period for items I bought?',
    ],
    distractors: ['How many days do I have to exchange an item?', 'How do I print a return label?'],
  },
  {
    id: 'compare-plans',
    variants: [
      'What is the difference between the Pro and Team plans?',
      'How do the Pro and Team plans differ?',
      'Compare the Pro plan with the Team plan.',
    ],
    distractors: ['What is the difference between the Team and Enterprise plans?', 'How much does the Pro plan cost?'],
  },
  {
    id: 'headline-sentiment',
    variants: [
      "What is the customer's overall sentiment in this review?",
      'How does the customer feel overall in this review?',
      'Is the overall tone of this customer review positive or negative?',
    ],
    distractors: ['What product is the customer reviewing?', 'What star rating did the customer give in this review?'],
  },
  {
    id: 'api-rate-limit',
    variants: [
      'What is the rate limit of the search API?',
      'How many requests per minute does the search API allow?',
      'What are the request limits on the search API?',
    ],
    distractors: ['What is the rate limit of the billing API?', 'What is the latency of the search API?'],
  },
  {
    id: 'onboarding-steps',
    variants: [
      'What are the steps to onboard a new vendor?',
      'How do we onboard a new vendor? List the steps.',
      'Outline the process for onboarding a new vendor.',
    ],
    distractors: ['What are the steps to offboard a vendor?', 'What are the steps to onboard a new employee?'],
  },
  {
    id: 'gdpr-deletion',
    variants: [
      'How do we handle a GDPR data deletion request?',
      'What is our process for GDPR requests to delete personal data?',
      'How should a GDPR deletion request be handled?',
    ],
    distractors: ['How do we handle a GDPR data access request?', 'How do we handle a CCPA data deletion request?'],
  },
  {
    id: 'order-eta',
    variants: [
      'When will order 77120 arrive?',
      'What is the estimated delivery date for order 77120?',
      "What's the ETA of order 77120?",
    ],
    distractors: ['When will order 77210 arrive?', 'When was order 77120 shipped?'],
  },
  {
    id: 'kubernetes-restart',
    variants: [
      'How do I restart a deployment in Kubernetes?',
      'What is the command to restart a Kubernetes deployment?',
      'How can I do a rolling restart of a Kubernetes deployment?',
    ],
    distractors: ['How do I scale a deployment in Kubernetes?', 'How do I restart a pod in Docker Swarm?'],
  },
  {
    id: 'budget-variance',
    variants: [
      'Explain the budget variance for marketing in March.',
      'Why is the March marketing spend different from the budget?',
      'Describe the variance between budget and actuals for marketing in March.',
    ],
    distractors: [
      'Explain the budget variance for marketing in April.',
      'Explain the budget variance for engineering in March.',
    ],
  },
  {
    id: 'dark-mode',
    variants: [
      'How do I turn on dark mode in the app?',
      'How can I enable dark mode in the app?',
      'Where is the setting to switch the app to dark mode?',
    ],
    distractors: ['How do I turn off dark mode in the app?', 'How do I turn on notifications in the app?'],
  },
];

/** The development half (even indexes) or the held-out test half (odd indexes). */
export function intentsOf(split: 'dev' | 'test' | 'all'): Intent[] {
  if (split === 'all') return [...INTENTS];
  return INTENTS.filter((_, i) => (split === 'dev' ? i % 2 === 0 : i % 2 === 1));
}
