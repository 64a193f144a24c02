package dev.hourglass.tests.support;

import static java.util.Objects.requireNonNull;

/**
 * One WARN or ERROR line the SDK logged.
 *
 * @param level WARN or ERROR
 * @param logger the SLF4J logger name, e.g. {@code io.temporal.internal.worker.Poller}
 * @param thread the thread that logged it
 * @param message the formatted message
 * @param throwable the attached exception's class and message, empty when none
 */
public record CapturedLogEvent(String level, String logger, String thread, String message, String throwable) {
  public CapturedLogEvent {
    requireNonNull(level, "level is null");
    requireNonNull(logger, "logger is null");
    requireNonNull(thread, "thread is null");
    requireNonNull(message, "message is null");
    requireNonNull(throwable, "throwable is null");
  }

  /**
   * The SDK reports every failed activity attempt at WARN ("Activity failure. ActivityId=…"), against
   * Temporal as much as against Hourglass; tests that make activities fail on purpose expect it.
   */
  public boolean isActivityFailureReport() {
    return message.startsWith("Activity failure.");
  }

  @Override
  public String toString() {
    return level + " [" + thread + "] " + logger + " - " + message + (throwable.isEmpty() ? "" : " | " + throwable);
  }
}
