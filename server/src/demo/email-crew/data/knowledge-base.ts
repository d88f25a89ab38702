import type { Category } from './emails.js';

/** The help-centre articles the retriever searches. */

export interface Article {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

const ARTICLES: Record<Category, Article> = {
  billing: {
    id: 'kb-101',
    title: 'Duplicate charges and invoices',
    text:
      'A duplicate charge usually means the bank placed a temporary authorisation hold next to the captured payment. ' +
      'Holds vanish from the statement within three to five banking days without any action. If both payments are ' +
      'captured, finance reverses the second one within two banking days and emails a reversal reference. Company ' +
      'invoices with a VAT number are generated from the Orders page under Download invoice once the billing profile ' +
      'contains the registered company name, street address and VAT identifier; invoices cannot be reissued for ' +
      'purchases older than eighteen months. Agents never ask customers to send full card numbers by email.' +
      ' Business customers on monthly terms receive one consolidated invoice on the first working day of the month, ' +
      'payable within thirty days by bank transfer. A billing profile change applies to future invoices only; finance ' +
      'can regenerate a single earlier invoice on request when the purchase is less than ninety days old.',
  },
  refund: {
    id: 'kb-204',
    title: 'Returns and refund timelines',
    text:
      'Items can be returned within 30 days of delivery for a full refund; between day 31 and day 60 we offer store ' +
      'credit instead. Refunds are issued to the original payment method once the warehouse scans the parcel, which ' +
      'takes up to five working days after the carrier delivers it. Card issuers need another three to seven days to ' +
      'show the credit. If the warehouse scan is older than ten days and no credit appeared, agents escalate to the ' +
      'payments desk with the return tracking number. Original packaging is appreciated but never required.' +
      ' Refunds for orders paid with a gift card return to a new gift card code by email. Shipping fees are refunded ' +
      'only when the item arrived damaged or was not what was ordered; in that case the prepaid return label is free. ' +
      'Partial refunds for a missing accessory are approved by the agent up to twenty percent of the item price.',
  },
  shipping: {
    id: 'kb-317',
    title: 'Delivery times, tracking and destinations',
    text:
      'Standard delivery takes three to five working days inside the European Union and seven to ten days to Norway, ' +
      'Switzerland and the United Kingdom, where customs duties are prepaid at checkout. Tracking pages can pause for ' +
      'up to four days while a parcel crosses a border hub. When tracking has been silent for more than five working ' +
      'days, agents open a carrier investigation, which takes up to eight days, and offer a replacement shipment if ' +
      'the carrier declares the parcel lost. Express delivery is not available for bulky furniture.' +
      ' Parcels delivered to a pickup point wait there for fourteen days before they travel back to the warehouse. ' +
      'A changed delivery address is possible until the label is printed, usually within two hours of payment. ' +
      'Damaged deliveries are photographed by the customer and replaced without a return when the item costs under fifty euros.',
  },
  technical: {
    id: 'kb-412',
    title: 'Troubleshooting devices and warranty',
    text:
      'Every electronic product carries a two-year warranty covering manufacturing faults. Before approving a warranty ' +
      'replacement, agents ask the customer to hold the power button for fifteen seconds to force a reset and to try ' +
      'the original cable. Companion app pairing fails most often because Bluetooth permissions are denied or the ' +
      'device is still paired with another phone; removing the old pairing from the other phone fixes it. Approved ' +
      'warranty claims receive a prepaid label and the replacement ships when the faulty unit is scanned.' +
      ' Firmware updates install automatically overnight while the device charges; a failed update shows a blinking ' +
      'amber light and needs a cable connection to a computer. Accidental damage and water damage are excluded from ' +
      'the warranty, but customers get a discounted replacement at forty percent off the current price.',
  },
  account: {
    id: 'kb-528',
    title: 'Account access and order history',
    text:
      'Password reset emails come from no-reply@acme-shop.example and expire after thirty minutes; corporate mail ' +
      'filters often quarantine them. Agents can trigger a manual reset link from the admin console after verifying ' +
      'the postcode and the last four digits of the phone number on file. Guest orders placed before logging in can ' +
      'be merged into an account from the console under Link guest order, which moves invoices and warranty records ' +
      'as well. Accounts locked after ten failed attempts unlock automatically after one hour.' +
      ' Email address changes need confirmation from both the old and the new mailbox. Deleting an account removes ' +
      'saved addresses and payment tokens at once, while invoices are kept for ten years as the tax law requires. ' +
      'Two-step verification can be reset by an agent only after a video identity check booked through the help centre.',
  },
};

const ORDER: readonly Category[] = ['billing', 'refund', 'shipping', 'technical', 'account'];

/**
 * The articles a search returns: the one about the email's topic first, then — when the search has
 * no relevance cut-off and the email is vague ("broad") — three loosely related ones.
 */
export function searchArticles(category: Category, broad: boolean): Article[] {
  const first = ARTICLES[category];
  if (!broad) return [first];
  return [
    first,
    ...ORDER.filter((c) => c !== category)
      .slice(0, 3)
      .map((c) => ARTICLES[c]),
  ];
}
