package dev.hourglass.engine.visibility;

import com.google.protobuf.util.Durations;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.store.VisibilityRecord;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import java.util.List;
import java.util.Set;

/** Builds a run's visibility row from its state; says which events change what is listed. */
public final class VisibilityRecords {
  /**
   * Events after which a run's listed attributes differ: its start, its close, and changes of
   * search attributes or memo. Other events leave the visibility row as it is (the history
   * length it shows is the one at the last of these).
   */
  private static final Set<EventType> VISIBLE_CHANGES = Set.of(
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
      EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
      EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED);

  private VisibilityRecords() {}

  public static boolean changesVisibility(EventType type) {
    return VISIBLE_CHANGES.contains(type);
  }

  /**
   * The row of a run.
   *
   * @param closeTimeMillis 0 while open
   * @param memo null when none (likewise searchAttributes)
   */
  public static VisibilityRecord build(ExecutionKey key, WorkflowExecutionStartedEventAttributes started, int status,
      long startTimeMillis, long closeTimeMillis, long historyLength, long historySizeBytes, Memo memo,
      SearchAttributes searchAttributes) {
    long executionTime = startTimeMillis
        + (started.hasFirstWorkflowTaskBackoff() ? Durations.toMillis(started.getFirstWorkflowTaskBackoff()) : 0);
    boolean hasParent = started.hasParentWorkflowExecution();
    // A run without a parent is its own root, as Temporal records it.
    String rootWorkflowId = started.hasRootWorkflowExecution() ? started.getRootWorkflowExecution().getWorkflowId()
        : hasParent ? "" : key.workflowId();
    String rootRunId = started.hasRootWorkflowExecution() ? started.getRootWorkflowExecution().getRunId()
        : hasParent ? "" : key.runId();
    boolean hasMemo = memo != null && memo.getFieldsCount() > 0;
    boolean hasAttributes = searchAttributes != null && searchAttributes.getIndexedFieldsCount() > 0;
    return new VisibilityRecord(
        key.namespaceId(), key.runId(), key.workflowId(), started.getWorkflowType().getName(), status,
        startTimeMillis, executionTime, closeTimeMillis, started.getTaskQueue().getName(), historyLength, historySizeBytes,
        hasParent ? started.getParentWorkflowNamespaceId() : "",
        hasParent ? started.getParentWorkflowExecution().getWorkflowId() : "",
        hasParent ? started.getParentWorkflowExecution().getRunId() : "",
        rootWorkflowId, rootRunId,
        started.getFirstExecutionRunId().isEmpty() ? key.runId() : started.getFirstExecutionRunId(),
        hasMemo ? memo.toByteArray() : new byte[0],
        hasAttributes ? searchAttributes.toByteArray() : new byte[0],
        hasAttributes ? TypedValues.index(searchAttributes) : List.of());
  }
}
