package dev.hourglass.timers.workflow;

import java.util.Locale;
import java.util.Optional;

/** Where a timer is in its life. The REST API shows {@link #wireName()}. */
public enum TimerStatus {
  /** Waiting for its deadline. */
  SCHEDULED,
  /** The deadline passed; the webhook is being called (and retried). */
  FIRING,
  /** The webhook answered 2xx. */
  FIRED,
  /** Every attempt failed, or the delivery ran out of time. */
  FAILED,
  /** Cancelled before it fired. */
  CANCELLED;

  /** Lower case, as in the REST API: {@code scheduled}, {@code firing}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TimerStatus> fromWireName(String value) {
    for (TimerStatus status : values()) {
      if (status.wireName().equals(value)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }
}
