package dev.hourglass.common;

import static java.util.Objects.requireNonNull;

/** One run of a workflow: namespace id, workflow id and run id. */
public record ExecutionKey(String namespaceId, String workflowId, String runId) {
  public ExecutionKey {
    requireNonNull(namespaceId, "namespaceId is null");
    requireNonNull(workflowId, "workflowId is null");
    requireNonNull(runId, "runId is null");
  }

  public WorkflowKey workflowKey() {
    return new WorkflowKey(namespaceId, workflowId);
  }
}
