package dev.hourglass.examples.subscription;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface BillingActivities {
  /**
   * Charges the customer for one billing period. The payment provider gets {@code customerId-period}
   * as idempotency key, so a retried charge never bills twice.
   */
  String charge(String customerId, int period, long amountCents);
}
