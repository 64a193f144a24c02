package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

/**
 * @param started false when the request was a retry of one already applied (same request id)
 * @param attached true when the request was attached to the running run (USE_EXISTING with
 *     {@code on_conflict_options}): a WorkflowExecutionOptionsUpdated event records it
 */
public record StartWorkflowResult(String runId, boolean started, boolean attached) {
  public StartWorkflowResult {
    requireNonNull(runId, "runId is null");
  }

  public StartWorkflowResult(String runId, boolean started) {
    this(runId, started, false);
  }
}
