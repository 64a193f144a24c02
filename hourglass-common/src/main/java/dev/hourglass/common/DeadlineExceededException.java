package dev.hourglass.common;

/** The server gave up waiting (nobody answered a query in time). Maps to DEADLINE_EXCEEDED. */
public final class DeadlineExceededException extends HourglassException {
  public DeadlineExceededException(String message) {
    super(message);
  }
}
