package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

/**
 * @param started false when the request was a retry of one already applied (same request id)
 */
public record StartWorkflowResult(String runId, boolean started) {
  public StartWorkflowResult {
    requireNonNull(runId, "runId is null");
  }
}
