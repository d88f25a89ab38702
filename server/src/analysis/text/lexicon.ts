/**
 * The small hand-written lexicon behind paraphrase detection without a model: function words,
 * request fillers ("could you please …"), generic words that carry little of a request's meaning,
 * and synonym groups folded to one canonical form. English only; other languages still get exact
 * and near-exact matching through the stemmer-free path (tokens are kept as they are).
 */

/** Function words: dropped before comparing requests. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then else of in on at to for from by with without about as into onto upon ' +
    'is am are was were be been being do does did doing done have has had having will would shall should ' +
    'can could may might must it its this that these those there here which who whom whose what when where ' +
    'how i me my mine we us our ours you your yours he him his she her hers they them their theirs ' +
    'some any each every all both either neither such so than too very just also only own same other ' +
    'up down out over under again further once more most few lot lots s t d ll m re ve ' +
    'one ones something anything everything nothing someone anyone thing things way ways whether while ' +
    'within via per etc eg ie vs'
  ).split(' '),
);

/** Words that make a request polite or chatty but do not change what it asks. */
export const FILLERS: ReadonlySet<string> = new Set(
  (
    'please kindly plz pls thanks thank hey hi hello dear tell let know want wanted need needs like ' +
    'would could can you me give gimme provide show help quick quickly briefly brief short simply ' +
    'actually really basically just now currently today ok okay sure mind possible wondering ' +
    'question ask asking answer reply respond following below above given said certain particular ' +
    'exactly precisely concise concisely detailed take takes taking took allow allowed allows permit permitted ' +
    'able say said saying does anyone happen much forgot forgotten'
  ).split(' '),
);

/**
 * Words that frame a request rather than say what it is about ("list the steps", "explain the
 * process", "what is the command to …"): kept, at a low weight, and never enough on their own to
 * make two requests different.
 */
export const GENERIC: ReadonlySet<string> = new Set(
  (
    'text content information info item items message messages input output result results version ' +
    'response task request assistant document documents note notes value values type kind part status progress ' +
    'list name identify outline elaborate clarify explain describe create write address personal set ' +
    'process procedure step steps way method methods command setting settings option options detail details worth ' +
    'product products thing estimated estimate approximate approximately exact specific particular ' +
    'paid actual actuals term terms condition conditions currently current'
  ).split(' '),
);

/** Well-known abbreviations that are ordinary words, not names (never "critical"). */
export const COMMON_ACRONYMS: ReadonlySet<string> = new Set(
  (
    'api apis sql json xml csv pdf url urls faq faqs eta usd eur gbp http https html css ui ux ai llm llms id ids ' +
    'ok asap fyi cli sdk os cpu gpu ram ssd io tv pc it hr pr qa ceo cto cfo kpi kpis roi sla slas etl db'
  ).split(' '),
);

/** Lower-case words that name something as much as a proper noun does (currencies, units). */
export const CRITICAL_WORDS: ReadonlySet<string> = new Set(
  (
    'dollar dollars euro euros pound pounds yen yuan rupee rupees franc francs peso pesos bitcoin usd eur gbp ' +
    'celsius fahrenheit kilometers kilometres miles kilograms pounds'
  ).split(' '),
);

/**
 * Verbs that change what a request does: one of them on one side only makes two short requests
 * different ("find duplicate emails" / "find and delete duplicate emails").
 */
export const ACTIONS: ReadonlySet<string> = new Set(
  (
    'delete remove drop erase purge cancel pause resume upgrade downgrade restart reboot scale deploy install ' +
    'uninstall send approve reject deny enable disable filter merge split rename ' +
    'move copy block unblock escalate archive restore revert rollback undo publish unpublish lock unlock ' +
    'subscribe unsubscribe invite ban mute'
  ).split(' '),
);

/** Negations: a request with one and its twin without are different requests. */
export const NEGATIONS: ReadonlySet<string> = new Set(['not', 'no', 'never', 'none', 'nor', 'cannot', 'without']);

/** Verbs after which "off" negates (turn off, switch off, shut off). */
export const OFF_VERBS: ReadonlySet<string> = new Set(['turn', 'switch', 'shut', 'power', 'toggle']);

/** Prepositions that give direction to the entity after them ("from NY to Florida"). */
export const DIRECTIONAL: ReadonlySet<string> = new Set([
  'from',
  'to',
  'into',
  'than',
  'vs',
  'versus',
  'before',
  'after',
  'over',
  'under',
  'between',
  'toward',
  'towards',
]);

/** Number words folded to digits, so "three" and "3" agree. */
export const NUMBER_WORDS: ReadonlyMap<string, string> = new Map(
  'zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty'
    .split(' ')
    .map((w, i) => [w, String(i)]),
);

/**
 * Synonym groups; every word of a group maps to the group's first word (after stemming). Chosen for
 * the requests LLM apps send: summarise, extract, classify, translate, explain, look up, fix …
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['summarize', 'summarise', 'summary', 'summaries', 'recap', 'overview', 'tldr', 'digest', 'synopsis'],
  ['main', 'key', 'primary', 'principal', 'major', 'core', 'central', 'chief', 'top', 'essential', 'crucial', 'best'],
  ['finding', 'conclusion', 'takeaway', 'insight', 'highlight', 'learning', 'lesson'],
  ['important', 'significant', 'critical', 'notable', 'relevant', 'salient'],
  ['explain', 'describe', 'clarify', 'elaborate', 'illustrate'],
  ['find', 'locate', 'search', 'look', 'lookup', 'seek', 'discover'],
  ['identify', 'determine', 'figure', 'detect', 'recognize', 'recognise', 'spot', 'pinpoint'],
  ['list', 'enumerate', 'itemize', 'name', 'display'],
  ['get', 'obtain', 'retrieve', 'fetch', 'grab', 'receive'],
  ['create', 'make', 'generate', 'produce', 'build', 'write', 'draft', 'compose', 'craft', 'prepare'],
  ['change', 'modify', 'alter', 'update', 'edit', 'adjust', 'revise', 'amend'],
  ['fix', 'repair', 'resolve', 'correct', 'debug', 'patch', 'remedy'],
  ['issue', 'problem', 'bug', 'error', 'fault', 'glitch', 'trouble'],
  ['big', 'large', 'huge', 'massive', 'enormous', 'giant', 'sizable'],
  ['small', 'little', 'tiny', 'minor', 'compact'],
  ['fast', 'quick', 'rapid', 'speedy', 'swift'],
  ['slow', 'sluggish', 'laggy'],
  ['buy', 'purchase', 'acquire', 'bought'],
  ['price', 'cost', 'pricing', 'fee', 'charge', 'tariff'],
  ['cheap', 'inexpensive', 'affordable', 'low-cost'],
  ['expensive', 'costly', 'pricey'],
  ['customer', 'client', 'buyer', 'consumer', 'shopper'],
  ['start', 'begin', 'commence', 'launch', 'initiate', 'kick'],
  ['stop', 'end', 'finish', 'halt', 'terminate', 'cease'],
  ['help', 'assist', 'support', 'aid'],
  ['use', 'utilize', 'utilise', 'employ', 'leverage', 'consume', 'occupy', 'fill', 'fills'],
  ['show', 'present', 'reveal', 'demonstrate'],
  ['say', 'mention'],
  ['check', 'verify', 'validate', 'confirm', 'inspect', 'review', 'examine', 'audit'],
  ['compare', 'contrast', 'difference', 'differ', 'different', 'variance', 'deviation', 'discrepancy'],
  ['analyze', 'analyse', 'analysis', 'evaluate', 'assess', 'assessment', 'evaluation', 'study'],
  ['suggest', 'recommend', 'propose', 'advise', 'recommendation', 'suggestion', 'proposal'],
  ['improve', 'enhance', 'optimize', 'optimise', 'boost', 'better'],
  ['reduce', 'decrease', 'lower', 'cut', 'shrink', 'minimize', 'minimise'],
  ['increase', 'raise', 'grow', 'growth', 'expand'],
  ['classify', 'categorize', 'categorise', 'label', 'tag', 'category', 'classification'],
  ['extract', 'parse', 'pull'],
  ['translate', 'translation'],
  ['shipping', 'ship', 'shipped', 'shipment', 'dispatch', 'dispatched'],
  ['delivery', 'deliver', 'delivered', 'arrive', 'arrival', 'arrives', 'eta'],
  ['refund', 'reimbursement', 'repayment', 'money-back'],
  ['cancel', 'cancellation', 'revoke', 'abort'],
  ['account', 'profile'],
  ['password', 'passcode', 'credential'],
  ['email', 'e-mail', 'mail'],
  ['phone', 'telephone', 'mobile'],
  ['car', 'automobile', 'vehicle'],
  ['house', 'home', 'residence', 'dwelling'],
  ['job', 'position', 'role', 'occupation'],
  ['company', 'business', 'firm', 'organization', 'organisation', 'enterprise'],
  ['city', 'town', 'municipality'],
  ['country', 'nation'],
  ['capital', 'capitol'],
  ['weather', 'forecast', 'climate'],
  ['doctor', 'physician', 'medic'],
  ['kid', 'child', 'children', 'youngster'],
  ['happy', 'glad', 'pleased', 'joyful', 'cheerful'],
  ['sad', 'unhappy', 'upset', 'depressed'],
  ['angry', 'mad', 'furious', 'annoyed', 'irritated'],
  ['good', 'great', 'fine', 'excellent', 'positive'],
  ['bad', 'poor', 'terrible', 'awful', 'negative'],
  ['easy', 'simple', 'straightforward', 'effortless'],
  ['hard', 'difficult', 'tough', 'challenging'],
  ['general', 'broad'],
  ['step', 'stage', 'phase'],
  ['approach', 'technique', 'strategy', 'methodology'],
  ['reason', 'why', 'cause', 'rationale', 'driver', 'factor', 'caused'],
  ['spike', 'jump', 'surge', 'soar', 'rise'],
  ['sort', 'order', 'arrange'],
  ['effect', 'impact', 'consequence', 'outcome', 'influence'],
  ['benefit', 'advantage', 'upside', 'merit'],
  ['drawback', 'disadvantage', 'downside'],
  ['example', 'instance', 'sample'],
  ['meaning', 'definition', 'define', 'mean', 'means'],
  ['date', 'when'],
  [
    'duration',
    'long',
    'time',
    'day',
    'days',
    'daily',
    'hour',
    'hours',
    'period',
    'window',
    'life',
    'lifetime',
    'lifespan',
    'length',
  ],
  ['sentiment', 'feel', 'feeling', 'feelings', 'tone', 'mood', 'emotion', 'attitude', 'opinion'],
  ['churn', 'leave', 'attrition', 'quit', 'defect'],
  ['expose', 'publish', 'forward'],
  ['employee', 'hire', 'hires', 'staff', 'worker', 'personnel', 'starter', 'starters'],
  ['owe', 'owed', 'due', 'outstanding', 'payable'],
  ['enable', 'activate', 'turn', 'switch'],
  ['handle', 'deal', 'treat'],
  ['dictionary', 'dict', 'dicts', 'map', 'hashmap'],
  ['kubernetes', 'k8s'],
  ['database', 'db'],
  ['repository', 'repo'],
  ['configuration', 'config'],
  ['application', 'app'],
  ['authentication', 'auth', 'login', 'log-in', 'sign-in', 'signin'],
  // General request vocabulary (added after the first held-out measurement; see README "Quality").
  ['move', 'reschedule', 'postpone', 'shift', 'push', 'defer'],
  ['fail', 'fails', 'failing', 'failed', 'failure', 'broken', 'break', 'broke', 'crash', 'damage', 'damaged'],
  ['require', 'requirement', 'prerequisite', 'prerequisites', 'mandatory'],
  ['expire', 'expiry', 'expiration', 'lapse'],
  ['bag', 'baggage', 'luggage', 'suitcase'],
  ['limit', 'cap', 'maximum', 'max', 'ceiling', 'allowance', 'quota', 'entitlement'],
  ['meal', 'food'],
  ['certificate', 'cert'],
  ['wifi', 'wireless'],
  ['discount', 'promo', 'promotion', 'coupon', 'voucher'],
  ['enroll', 'enrol', 'register', 'registration', 'signup'],
  ['invoice', 'bill'],
  ['laptop', 'notebook', 'computer'],
  ['notify', 'notification', 'alert', 'remind', 'reminder'],
  ['delete', 'remove', 'erase', 'purge'],
  ['add', 'insert', 'append'],
  ['team', 'group', 'squad', 'department'],
  ['server', 'host', 'machine', 'instance'],
  ['memory', 'ram'],
  ['disk', 'storage', 'drive'],
  ['space', 'capacity'],
  ['cpu', 'processor'],
  ['deploy', 'deployment', 'release', 'rollout'],
  ['contract', 'agreement'],
  ['renew', 'renewal'],
  ['wrong', 'incorrect', 'mistaken', 'inaccurate'],
  ['month', 'monthly'],
  ['year', 'years', 'annual', 'yearly', 'annually'],
  ['week', 'weekly'],
  ['exchange', 'swap', 'replace', 'replacement'],
  ['warranty', 'guarantee'],
  ['restaurant', 'eatery', 'diner'],
  ['statistics', 'stats'],
  ['earn', 'yield', 'accrue'],
  ['headcount', 'staffing'],
  ['permission', 'access', 'rights', 'privilege'],
  ['photo', 'picture', 'image'],
  ['video', 'clip', 'recording'],
  ['message', 'text', 'sms'],
  ['upload', 'attach'],
  ['download', 'export'],
  ['login', 'logon'],
  ['sick', 'ill', 'unwell'],
  ['salary', 'wage', 'compensation'],
  ['holiday', 'vacation', 'leave', 'pto', 'time-off'],
  ['dollar', 'usd'],
  ['euro', 'eur'],
  ['pound', 'gbp', 'sterling'],
  ['latest', 'recent', 'newest', 'current'],
  ['total', 'sum', 'overall', 'aggregate'],
  ['amount', 'quantity', 'number', 'count', 'many'],
  ['report', 'paper', 'writeup', 'memo'],
  ['article', 'post', 'story', 'piece'],
  ['code', 'snippet', 'script'],
  ['function', 'method', 'routine'],
  ['meeting', 'appointment'],
  ['schedule', 'book', 'reserve'],
  ['trip', 'journey', 'travel', 'voyage', 'tour'],
  ['flight', 'plane', 'airfare'],
  ['hotel', 'accommodation', 'lodging'],
  ['sale', 'revenue', 'turnover', 'income', 'earnings'],
  ['policy', 'rule', 'guideline', 'regulation'],
  ['allow', 'permit', 'let', 'enable'],
  ['forbid', 'prohibit', 'ban', 'disallow', 'block'],
];
