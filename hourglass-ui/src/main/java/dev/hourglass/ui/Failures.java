package dev.hourglass.ui;

import io.temporal.api.failure.v1.Failure;

/** Failures as text: the message, its kind, and the causes under it. */
final class Failures {
  private Failures() {}

  /** {@code message (type)} then {@code ← cause} for each cause, on one line. */
  static String oneLine(Failure failure) {
    StringBuilder text = new StringBuilder();
    for (Failure current = failure; current != null; current = current.hasCause() ? current.getCause() : null) {
      if (text.length() > 0) {
        text.append(" ← ");
      }
      text.append(current.getMessage());
      String kind = kind(current);
      if (!kind.isEmpty()) {
        text.append(" (").append(kind).append(')');
      }
    }
    return text.toString();
  }

  /** The failure's kind in words: an application failure's type, a timeout's type, or what failed. */
  static String kind(Failure failure) {
    return switch (failure.getFailureInfoCase()) {
      case APPLICATION_FAILURE_INFO -> failure.getApplicationFailureInfo().getType()
          + (failure.getApplicationFailureInfo().getNonRetryable() ? ", non-retryable" : "");
      case TIMEOUT_FAILURE_INFO -> "timeout: " + failure.getTimeoutFailureInfo().getTimeoutType().name()
          .replaceFirst("^TIMEOUT_TYPE_", "").toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      case CANCELED_FAILURE_INFO -> "canceled";
      case TERMINATED_FAILURE_INFO -> "terminated";
      case SERVER_FAILURE_INFO -> "server";
      case ACTIVITY_FAILURE_INFO -> "activity " + failure.getActivityFailureInfo().getActivityType().getName();
      case CHILD_WORKFLOW_EXECUTION_FAILURE_INFO -> "child workflow " + failure.getChildWorkflowExecutionFailureInfo().getWorkflowType().getName();
      default -> "";
    };
  }

  /** Every stack trace in the chain, outermost first; empty when none was sent. */
  static String stackTraces(Failure failure) {
    StringBuilder text = new StringBuilder();
    for (Failure current = failure; current != null; current = current.hasCause() ? current.getCause() : null) {
      if (!current.getStackTrace().isEmpty()) {
        if (text.length() > 0) {
          text.append("\nCaused by: ").append(current.getMessage()).append('\n');
        }
        text.append(current.getStackTrace());
      }
    }
    return text.toString();
  }
}
