import { NOTHING_FOUND, type CustomerFacts, type OrderRule, violated } from './order-rule.js';

export interface CustomerActiveFacts {
  /** The number the channel sent. */
  customerId: string;
  /** null: unknown to the hub, or outside the channel's customer scope. */
  customer: CustomerFacts | null;
}

/** The customer exists (for this channel) and the ERP has it active. */
export const customerActive: OrderRule<CustomerActiveFacts> = {
  name: 'customer-active',
  check({ customerId, customer }) {
    if (!customer) {
      return violated({
        code: 'CUSTOMER_NOT_FOUND',
        field: 'customerId',
        message: `No customer with number ${customerId} is known to the hub.`,
      });
    }
    if (customer.status === 'INACTIVE') {
      return violated({
        code: 'CUSTOMER_INACTIVE',
        field: 'customerId',
        message: `Customer ${customer.erpId} is inactive in the ERP.`,
      });
    }
    if (customer.status === 'BLOCKED') {
      return violated({
        code: 'CUSTOMER_BLOCKED',
        field: 'customerId',
        message: `Customer ${customer.erpId} is blocked in the ERP.`,
      });
    }
    return NOTHING_FOUND;
  },
};
