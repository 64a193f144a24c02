package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

/**
 * Which run of a workflow id is the current one (the latest), and whether it is still running:
 * the row that makes "one running execution per workflow id" hold.
 */
public record CurrentExecution(String namespaceId, String workflowId, String runId, int status, String startRequestId) {
  public CurrentExecution {
    requireNonNull(namespaceId, "namespaceId is null");
    requireNonNull(workflowId, "workflowId is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(startRequestId, "startRequestId is null");
  }
}
