package dev.hourglass.examples.subscription;

import static java.util.Objects.requireNonNull;

/** What the customer signed up for: a free trial, then a charge per billing period, up to a number of periods. */
public record SubscriptionTerms(String customerId, String email, long trialSeconds, long billingPeriodSeconds,
    int maxBillingPeriods, long amountCents) {
  public SubscriptionTerms {
    requireNonNull(customerId, "customerId is null");
    requireNonNull(email, "email is null");
  }
}
