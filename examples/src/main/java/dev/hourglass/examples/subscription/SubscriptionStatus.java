package dev.hourglass.examples.subscription;

/** Where a subscription stands: answered by the {@code status} query at any time, and returned at the end. */
public record SubscriptionStatus(String phase, int periodsBilled, long totalChargedCents, long amountCents, boolean cancelled) {}
