package dev.hourglass.common;

import static java.util.Objects.requireNonNull;

/**
 * A workflow with this id is already running (or the id reuse policy forbids a new run). Maps to
 * ALREADY_EXISTS with Temporal's WorkflowExecutionAlreadyStartedFailure detail, which the SDK turns
 * into {@code WorkflowExecutionAlreadyStarted}.
 */
public final class WorkflowAlreadyStartedException extends HourglassException {
  private final String startRequestId;
  private final String runId;

  public WorkflowAlreadyStartedException(String message, String startRequestId, String runId) {
    super(message);
    this.startRequestId = requireNonNull(startRequestId, "startRequestId is null");
    this.runId = requireNonNull(runId, "runId is null");
  }

  public String startRequestId() {
    return startRequestId;
  }

  public String runId() {
    return runId;
  }
}
