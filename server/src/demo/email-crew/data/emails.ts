import type { Seeded } from '../../seeded.js';

/** Customer emails the crew answers: templates per category, filled with names, orders and products. */

export type Category = 'billing' | 'refund' | 'shipping' | 'technical' | 'account';

export interface Email {
  readonly category: Category;
  readonly customer: string;
  readonly subject: string;
  readonly body: string;
  /** The order the email is about, when it names one. */
  readonly orderId: string | undefined;
}

const NAMES = [
  'Dana Whitfield',
  'Ravi Menon',
  'Sofia Lindqvist',
  'Tom Okafor',
  'Mei Tanaka',
  'Lucas Moreau',
  'Aisha Karimi',
  'Jonas Becker',
];
const PRODUCTS = [
  'Aurora desk lamp',
  'Trailhead backpack',
  'Nimbus kettle',
  'Vertex standing desk',
  'Echo earbuds',
  'Harbor rain jacket',
];
const AMOUNTS = ['$49.00', '$129.90', '$18.50', '$342.00', '$76.25'];

interface Template {
  readonly subject: string;
  /** With {product}, {amount}, {order} (only in templates that name an order). */
  readonly body: string;
}

const WITH_ORDER: Record<Category, readonly Template[]> = {
  billing: [
    {
      subject: 'Charged twice for order {order}',
      body: 'I was charged twice on my card for order {order}, the {product}. The billing statement shows two payments of {amount} on the same day. Please fix the billing and tell me when the second charge will disappear.',
    },
  ],
  refund: [
    {
      subject: 'Refund for order {order}',
      body: 'I returned the {product} from order {order} two weeks ago and I still have not received my refund of {amount}. The return label said the refund takes five days. Where is my refund?',
    },
  ],
  shipping: [
    {
      subject: 'Where is order {order}?',
      body: 'My order {order} with the {product} was supposed to arrive last Friday. The shipping tracking page has not changed for four days. Can you check the shipping status and tell me when it will arrive?',
    },
  ],
  technical: [
    {
      subject: '{product} from order {order} stopped working',
      body: 'The {product} I bought in order {order} stopped working after a week. It does not turn on at all, even after charging it overnight. Is this a technical fault covered by the warranty?',
    },
  ],
  account: [
    {
      subject: 'Order {order} is not in my account',
      body: 'I placed order {order} for the {product} while logged in, but it does not show up in my account order history. I need it there for my expense report. Can you link the order to my account?',
    },
  ],
};

const WITHOUT_ORDER: Record<Category, readonly Template[]> = {
  billing: [
    {
      subject: 'Invoice with my company name',
      body: 'I need an invoice with my company name and VAT number for my last purchase of {amount}. The billing page only lets me download a receipt. How do I get a proper invoice?',
    },
  ],
  refund: [
    {
      subject: 'Can I still return this?',
      body: 'I bought the {product} 40 days ago and it is not what I expected. Am I still able to get a refund, or is it too late? I still have the original packaging.',
    },
  ],
  shipping: [
    {
      subject: 'Shipping to Norway',
      body: 'Do you ship the {product} to Norway? I could not find Norway in the shipping country list at checkout. If you do, how long does shipping take and are there customs fees?',
    },
  ],
  technical: [
    {
      subject: 'App will not pair',
      body: 'The companion app will not pair with my {product}. I followed the pairing steps twice and the app keeps saying the device was not found. What else can I try before sending it back?',
    },
  ],
  account: [
    {
      subject: 'Cannot log in',
      body: 'I cannot log in to my account anymore. The password reset email never arrives, I checked the spam folder too. Can you help me get back into my account?',
    },
  ],
};

const CATEGORIES: readonly Category[] = ['billing', 'refund', 'shipping', 'technical', 'account'];

function fill(text: string, slots: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => slots[k] ?? '');
}

/** A customer email; `withOrder` decides whether it names an order. */
export function makeEmail(rng: Seeded, withOrder: boolean): Email {
  const category = rng.pick(CATEGORIES);
  const template = rng.pick((withOrder ? WITH_ORDER : WITHOUT_ORDER)[category]);
  const orderId = withOrder ? `A-${rng.int(10000, 99999)}` : undefined;
  const customer = rng.pick(NAMES);
  const slots = { product: rng.pick(PRODUCTS), amount: rng.pick(AMOUNTS), order: orderId ?? '' };
  return {
    category,
    customer,
    orderId,
    subject: fill(template.subject, slots),
    body: `${fill(template.body, slots)}\n\nThanks,\n${customer}`,
  };
}

/** The email as the crew's prompts quote it. */
export function emailText(e: Email): string {
  return `From: ${e.customer}\nSubject: ${e.subject}\n\n${e.body}`;
}
