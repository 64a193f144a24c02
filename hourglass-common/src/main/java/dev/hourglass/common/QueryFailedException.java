package dev.hourglass.common;

/** The workflow's query handler failed (unknown query type, exception). Maps to INVALID_ARGUMENT with QueryFailedFailure. */
public final class QueryFailedException extends HourglassException {
  public QueryFailedException(String message) {
    super(message);
  }
}
