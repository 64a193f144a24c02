package dev.hourglass.examples.subscription;

import io.temporal.activity.Activity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for a payment provider. The first attempt of every charge fails (a card network
 * timeout) so the retry policy shows; charges are kept by idempotency key, so a charge retried after
 * it went through is not billed twice.
 */
public final class FlakyPaymentProvider implements BillingActivities {
  private final Map<String, Long> charges = new ConcurrentHashMap<>();

  @Override
  public String charge(String customerId, int period, long amountCents) {
    if (Activity.getExecutionContext().getInfo().getAttempt() == 1) {
      throw new IllegalStateException("card network timed out (attempt 1 fails on purpose; the retry policy charges again)");
    }
    String key = customerId + "-" + period;
    charges.putIfAbsent(key, amountCents);
    System.out.printf("  charged %s %d.%02d for period %d%n", customerId, amountCents / 100, amountCents % 100, period);
    return key;
  }

  /** Charges made, by idempotency key. */
  public Map<String, Long> charges() {
    return Map.copyOf(charges);
  }
}
