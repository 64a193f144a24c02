package dev.hourglass.common;

/**
 * The workflow cannot serve the request yet: its first workflow task has not run (it waits for a
 * start delay, retry backoff or cron time). Temporal's WorkflowNotReady: FAILED_PRECONDITION with
 * a detail that makes the SDKs report a rejected query.
 */
public final class WorkflowNotReadyException extends FailedPreconditionException {
  public WorkflowNotReadyException(String message) {
    super(message);
  }
}
