package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What list filters see of one workflow run: the system attributes as columns, memo and search
 * attributes as serialized protobuf, and the custom search attribute values in typed rows.
 *
 * @param status Temporal's {@code WorkflowExecutionStatus} number
 * @param closeTimeMillis 0 while the run is open
 * @param parentWorkflowId "" when the run has no parent (likewise the other parent and root ids)
 * @param memo serialized {@code temporal.api.common.v1.Memo}; empty when none
 * @param searchAttributes serialized {@code temporal.api.common.v1.SearchAttributes}; empty when none
 * @param values the custom search attribute values, one per row (empty on records read back)
 */
public record VisibilityRecord(
    String namespaceId,
    String runId,
    String workflowId,
    String workflowType,
    int status,
    long startTimeMillis,
    long executionTimeMillis,
    long closeTimeMillis,
    String taskQueue,
    long historyLength,
    long historySizeBytes,
    String parentNamespaceId,
    String parentWorkflowId,
    String parentRunId,
    String rootWorkflowId,
    String rootRunId,
    String firstRunId,
    byte[] memo,
    byte[] searchAttributes,
    List<SearchAttributeValue> values) {
  public VisibilityRecord {
    requireNonNull(namespaceId, "namespaceId is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(workflowId, "workflowId is null");
    requireNonNull(workflowType, "workflowType is null");
    requireNonNull(taskQueue, "taskQueue is null");
    requireNonNull(parentNamespaceId, "parentNamespaceId is null");
    requireNonNull(parentWorkflowId, "parentWorkflowId is null");
    requireNonNull(parentRunId, "parentRunId is null");
    requireNonNull(rootWorkflowId, "rootWorkflowId is null");
    requireNonNull(rootRunId, "rootRunId is null");
    requireNonNull(firstRunId, "firstRunId is null");
    requireNonNull(memo, "memo is null");
    requireNonNull(searchAttributes, "searchAttributes is null");
    values = List.copyOf(values);
  }

  public boolean closed() {
    return closeTimeMillis > 0;
  }
}
