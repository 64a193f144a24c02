package dev.hourglass.engine.history;

import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The summary of one workflow run that the engine decides on, kept beside its history: what is
 * pending (workflow task, activities, timers), the events buffered while a workflow task runs,
 * and the counters that continue the history. It is derived state: every change to it is written
 * in the same transaction as the events that caused it.
 *
 * <p>Not thread-safe: guarded by its {@code ExecutionEntry}'s lock.
 */
final class MutableState {
  String namespaceId = "";
  String workflowId = "";
  String runId = "";
  /** The started event's attributes: type, task queue, input, timeouts, memo, attempt, ... */
  WorkflowExecutionStartedEventAttributes startedAttributes;
  int status = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
  long startTimeMillis;
  long closeTimeMillis;
  long closeEventId;
  String startRequestId = "";
  long nextEventId = 1;
  /** Started event id of the last completed workflow task: the SDK's previous_started_event_id. */
  long lastCompletedWorkflowTaskStartedEventId;
  /** The workflow task pending, or null. */
  WorkflowTaskInfo workflowTask;
  Map<Long, ActivityInfo> activities = new TreeMap<>();
  Map<String, TimerInfo> timers = new LinkedHashMap<>();
  /** Events that arrived while a workflow task was running, without ids yet. */
  List<HistoryEvent> bufferedEvents = new ArrayList<>();
  String stickyTaskQueue = "";
  long stickyScheduleToStartTimeoutMillis;
  /** Timer rows of the run and execution timeouts; 0 when none. */
  long runTimeoutTimerId;
  /** Request ids of signals already applied (de-duplication of client retries), oldest first. */
  java.util.LinkedHashSet<String> signalRequestIds = new java.util.LinkedHashSet<>();
  boolean cancelRequested;
  String cancelRequestId = "";
  Memo memo;
  SearchAttributes searchAttributes;
  long historySizeBytes;
  /** Child workflows initiated and not yet closed, by initiated event id. */
  Map<Long, ChildInfo> children = new TreeMap<>();
  /**
   * Completion callbacks attached after the start (a Nexus handler's start that found the run
   * already running, USE_EXISTING with on_conflict_options); the started event holds the others.
   */
  List<io.temporal.api.common.v1.Callback> attachedCompletionCallbacks = new ArrayList<>();
  /** Nexus operations scheduled and not yet ended, by scheduled event id. */
  Map<Long, NexusOperationInfo> nexusOperations = new TreeMap<>();
  /** Signals and cancel requests sent to other workflows, not yet confirmed, by initiated event id. */
  Map<Long, ExternalRequestInfo> externalRequests = new TreeMap<>();
  /** The start request's summary and details (shown by describe); null when none. */
  io.temporal.api.sdk.v1.UserMetadata userMetadata;
  /** Set when this execution is a schedule's internal execution; null for workflows. */
  ScheduleState schedule;

  // ---- retries, cron and start delay (FirstWorkflowTaskBackoff, RunOutcomes) ----
  /**
   * Timer row the run's first workflow task waits for (first_workflow_task_backoff of a retry, a
   * cron run or a start delay); 0 when the run does not wait. While it waits, signals are recorded
   * but schedule no workflow task.
   */
  long backoffTimerId;

  // ---- workflow updates (see Updates) ----
  /** Accepted updates by update id, for de-duplication and polling: their accepted and completed event ids. */
  Map<String, UpdateInfo> updates = new LinkedHashMap<>();

  boolean running() {
    return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
  }

  boolean hasParent() {
    return startedAttributes.hasParentWorkflowExecution();
  }

  String workflowType() {
    return startedAttributes.getWorkflowType().getName();
  }

  String taskQueue() {
    return startedAttributes.getTaskQueue().getName();
  }
}
