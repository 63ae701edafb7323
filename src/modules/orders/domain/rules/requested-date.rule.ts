import { NOTHING_FOUND, type OrderRule, violated } from './order-rule.js';

export interface RequestedDateFacts {
  /** YYYY-MM-DD or absent. */
  requestedShipDate: string | null;
  /** The hub's business day (YYYY-MM-DD), as pricing counts it. */
  today: string;
}

/** A ship date before today cannot be met. */
export const requestedDateNotPast: OrderRule<RequestedDateFacts> = {
  name: 'requested-date-not-past',
  check({ requestedShipDate, today }) {
    if (requestedShipDate && requestedShipDate < today) {
      return violated({
        code: 'REQUESTED_DATE_IN_PAST',
        field: 'requestedShipDate',
        message: `The requested ship date ${requestedShipDate} is before today (${today}).`,
      });
    }
    return NOTHING_FOUND;
  },
};
