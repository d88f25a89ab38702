import type { Category } from './emails.js';

/** The order system the drafter's lookup_order tool reads (a fixed answer per order). */

export interface OrderStatus {
  readonly order_id: string;
  readonly status: string;
  readonly detail: string;
}

const DETAIL: Record<Category, [status: string, detail: string]> = {
  billing: ['paid', 'Two card transactions: one captured, one authorisation hold released on the next banking day.'],
  refund: ['returned', 'Return scanned at the warehouse six days ago; refund issued to the original card.'],
  shipping: ['in_transit', 'Last scan at the Hamburg border hub four days ago; no delay reported by the carrier.'],
  technical: ['delivered', 'Delivered nine days ago; product within the two-year warranty.'],
  account: ['delivered', 'Placed as a guest order with the same email address; not linked to an account.'],
};

export function lookupOrder(orderId: string, category: Category, pending: boolean): OrderStatus {
  if (pending) {
    return {
      order_id: orderId,
      status: 'pending',
      detail: 'The carrier has not confirmed the handover yet; check again later.',
    };
  }
  const [status, detail] = DETAIL[category];
  return { order_id: orderId, status, detail };
}

/** The tool as the drafter declares it to the model. */
export const LOOKUP_ORDER_TOOL = {
  name: 'lookup_order',
  description: 'Look up the current status of a customer order by its order number.',
  input_schema: {
    type: 'object' as const,
    properties: { order_id: { type: 'string', description: 'The order number, for example A-12345' } },
    required: ['order_id'],
  },
};
