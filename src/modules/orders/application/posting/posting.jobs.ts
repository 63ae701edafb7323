/**
 * Moved to application/commands/post-order/ (the posting use case). This path stays for callers
 * outside the module's public API that import it directly (test/orders/posting-two-instances).
 */
export * from '../commands/post-order/post-order.jobs.js';
