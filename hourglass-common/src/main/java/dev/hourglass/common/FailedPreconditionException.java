package dev.hourglass.common;

/** The request is valid but the system is not in a state to run it. Maps to FAILED_PRECONDITION. */
public class FailedPreconditionException extends HourglassException {
  public FailedPreconditionException(String message) {
    super(message);
  }
}
