package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.store.CurrentExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ResetReapplyExcludeType;
import io.temporal.api.enums.v1.ResetReapplyType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.ResetWorkflowFailureInfo;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionTerminatedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskFailedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskStartedEventAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * ResetWorkflowExecution: a new run of the workflow id whose history is the base run's up to the
 * reset point (a workflow task), followed by that task failed with cause RESET_WORKFLOW, the
 * signals the base run received after the point, and a new workflow task. The workflow id's current
 * run, if still running, is terminated, and the new run becomes current, all in one transaction.
 *
 * <p>The new run's pending work is rebuilt from the copied events: activities are scheduled again
 * from now (attempt 1) and timers keep their original fire time, as in Temporal.
 */
final class Resets {
  /** Temporal's identities for what the reset itself writes. */
  static final String HISTORY_SERVICE_IDENTITY = "history-service";
  static final String RESETTER_IDENTITY = "history-resetter";

  /** What the client asked for. */
  record Request(ExecutionKey base, long workflowTaskFinishEventId, String reason, String requestId, ResetReapplyType reapplyType,
      Set<ResetReapplyExcludeType> excludeTypes) {}

  private final ExecutionUpdater updater;
  private final HistoryReader reader;
  private final WorkflowTasks workflowTasks;
  private final Activities activities;

  Resets(ExecutionUpdater updater, HistoryReader reader, WorkflowTasks workflowTasks, Activities activities) {
    this.updater = requireNonNull(updater, "updater is null");
    this.reader = requireNonNull(reader, "reader is null");
    this.workflowTasks = requireNonNull(workflowTasks, "workflowTasks is null");
    this.activities = requireNonNull(activities, "activities is null");
  }

  /** Resets; returns the new run's id (or, for a repeated request id, the run it created before). */
  String reset(Request request, ExecutionKey current) {
    long lastEventId = reader.snapshot(request.base()).nextEventId() - 1;
    long finish = request.workflowTaskFinishEventId();
    if (finish <= 1 || finish > lastEventId) {
      throw new InvalidArgumentException("Workflow task finish ID must be > 1 && <= workflow last event ID.");
    }
    // Events before the reset point are immutable: read them without holding any lock.
    List<HistoryEvent> baseEvents = reader.readEvents(request.base(), 1, lastEventId, Integer.MAX_VALUE);
    List<HistoryEvent> kept = baseEvents.subList(0, (int) finish - 1);
    HistoryEvent last = kept.get(kept.size() - 1);
    if (last.getEventType() != EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED
        && last.getEventType() != EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      throw new InvalidArgumentException("Can only reset workflow to event ID in range [WorkflowTaskScheduled +1, WorkflowTaskStarted + 1]: "
          + finish);
    }
    pendingAcrossWorkflows(kept).ifPresent(event -> {
      throw new InvalidArgumentException("Resetting to a point where " + event.getEventType() + " (event " + event.getEventId()
          + ") is still pending is not supported by this Hourglass version yet (see docs/compatibility.md).");
    });
    List<HistoryEvent> reapplied = reapplies(request) ? baseEvents.subList((int) finish - 1, baseEvents.size()).stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).toList() : List.of();

    return updater.update(current, mutation -> {
      MutableState state = mutation.state();
      if (!request.requestId().isEmpty() && request.requestId().equals(state.startRequestId)) {
        return state.runId;
      }
      if (state.running()) {
        workflowTasks.flushBuffered(mutation);
        WorkflowCloser.close(mutation, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, event -> event.setWorkflowExecutionTerminatedEventAttributes(
                WorkflowExecutionTerminatedEventAttributes.newBuilder().setReason(request.reason()).setIdentity(RESETTER_IDENTITY)));
      }
      MutableState next = newState(state, kept.get(0), request.requestId());
      mutation.setCurrent(new CurrentExecution(state.namespaceId, state.workflowId, next.runId,
          WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE, next.startRequestId), Optional.of(state.runId));
      buildRun(mutation.startNewRun(next), request, kept, reapplied);
      return next.runId;
    });
  }

  private static boolean reapplies(Request request) {
    return request.reapplyType() != ResetReapplyType.RESET_REAPPLY_TYPE_NONE
        && !request.excludeTypes().contains(ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL);
  }

  /**
   * The first child workflow, external signal / cancel request or Nexus operation still pending at the reset point, if any:
   * its state lives in another execution too (a child reports to the run that started it), which a reset
   * cannot rebuild yet. Those resolved before the reset point are only history and are copied as such.
   */
  private static Optional<HistoryEvent> pendingAcrossWorkflows(List<HistoryEvent> kept) {
    Map<Long, HistoryEvent> pending = new LinkedHashMap<>();
    for (HistoryEvent event : kept) {
      switch (event.getEventType()) {
        case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
            EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, EVENT_TYPE_NEXUS_OPERATION_SCHEDULED ->
            pending.put(event.getEventId(), event);
        case EVENT_TYPE_NEXUS_OPERATION_COMPLETED -> pending.remove(event.getNexusOperationCompletedEventAttributes().getScheduledEventId());
        case EVENT_TYPE_NEXUS_OPERATION_FAILED -> pending.remove(event.getNexusOperationFailedEventAttributes().getScheduledEventId());
        case EVENT_TYPE_NEXUS_OPERATION_CANCELED -> pending.remove(event.getNexusOperationCanceledEventAttributes().getScheduledEventId());
        case EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT -> pending.remove(event.getNexusOperationTimedOutEventAttributes().getScheduledEventId());
        case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED ->
            pending.remove(event.getStartChildWorkflowExecutionFailedEventAttributes().getInitiatedEventId());
        case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED ->
            pending.remove(event.getChildWorkflowExecutionCompletedEventAttributes().getInitiatedEventId());
        case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED ->
            pending.remove(event.getChildWorkflowExecutionFailedEventAttributes().getInitiatedEventId());
        case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED ->
            pending.remove(event.getChildWorkflowExecutionCanceledEventAttributes().getInitiatedEventId());
        case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT ->
            pending.remove(event.getChildWorkflowExecutionTimedOutEventAttributes().getInitiatedEventId());
        case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED ->
            pending.remove(event.getChildWorkflowExecutionTerminatedEventAttributes().getInitiatedEventId());
        case EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED ->
            pending.remove(event.getExternalWorkflowExecutionSignaledEventAttributes().getInitiatedEventId());
        case EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED ->
            pending.remove(event.getSignalExternalWorkflowExecutionFailedEventAttributes().getInitiatedEventId());
        case EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED ->
            pending.remove(event.getExternalWorkflowExecutionCancelRequestedEventAttributes().getInitiatedEventId());
        case EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED ->
            pending.remove(event.getRequestCancelExternalWorkflowExecutionFailedEventAttributes().getInitiatedEventId());
        default -> {
          // nothing crosses workflows
        }
      }
    }
    return pending.values().stream().findFirst();
  }

  private static MutableState newState(MutableState current, HistoryEvent started, String requestId) {
    MutableState next = new MutableState();
    next.namespaceId = current.namespaceId;
    next.workflowId = current.workflowId;
    next.runId = UUID.randomUUID().toString();
    next.startRequestId = requestId.isEmpty() ? UUID.randomUUID().toString() : requestId;
    next.startedAttributes = started.getWorkflowExecutionStartedEventAttributes();
    next.memo = next.startedAttributes.hasMemo() ? next.startedAttributes.getMemo() : null;
    next.searchAttributes = next.startedAttributes.hasSearchAttributes() ? next.startedAttributes.getSearchAttributes() : null;
    return next;
  }

  /** The new run: the copied events, the failed workflow task, reapplied signals, a new workflow task, and its pending work. */
  private void buildRun(ExecutionMutation run, Request request, List<HistoryEvent> kept, List<HistoryEvent> reapplied) {
    MutableState state = run.state();
    state.startTimeMillis = run.nowMillis();
    Pending pending = new Pending();
    for (HistoryEvent event : kept) {
      run.appendBuilt(event.toBuilder());
      pending.apply(state, event);
    }
    HistoryEvent last = kept.get(kept.size() - 1);
    long scheduledEventId = last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED ? last.getEventId()
        : last.getWorkflowTaskStartedEventAttributes().getScheduledEventId();
    long startedEventId = last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED ? last.getEventId()
        : run.append(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, event -> event.setWorkflowTaskStartedEventAttributes(
            WorkflowTaskStartedEventAttributes.newBuilder().setScheduledEventId(scheduledEventId).setIdentity(HISTORY_SERVICE_IDENTITY)
                .setRequestId(UUID.randomUUID().toString()))).getEventId();
    run.append(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, event -> event.setWorkflowTaskFailedEventAttributes(
        WorkflowTaskFailedEventAttributes.newBuilder()
            .setScheduledEventId(scheduledEventId)
            .setStartedEventId(startedEventId)
            .setCause(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW)
            .setFailure(Failure.newBuilder().setMessage(request.reason()).setSource("")
                .setResetWorkflowFailureInfo(ResetWorkflowFailureInfo.getDefaultInstance()))
            .setIdentity(HISTORY_SERVICE_IDENTITY)
            .setBaseRunId(request.base().runId())
            .setNewRunId(state.runId)));
    for (HistoryEvent signal : reapplied) {
      run.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
          event -> event.setWorkflowExecutionSignaledEventAttributes(signal.getWorkflowExecutionSignaledEventAttributes()));
    }
    pending.activities.forEach((scheduledId, attributes) ->
        activities.reschedule(run, attributes, scheduledId, pending.activityCancelRequests.getOrDefault(scheduledId, 0L)));
    for (TimerInfo timer : pending.timers.values()) {
      timer.timerRowId = run.addTimer(timer.fireTimeMillis, TimerKind.USER_TIMER, timer.startedEventId, 0, timer.timerId);
      state.timers.put(timer.timerId, timer);
    }
    long runTimeout = Durations.toMillis(state.startedAttributes.getWorkflowRunTimeout());
    if (runTimeout > 0) {
      state.runTimeoutTimerId = run.addTimer(run.nowMillis() + runTimeout, TimerKind.WORKFLOW_RUN_TIMEOUT, 0, 0, "");
    }
    workflowTasks.schedule(run, 1);
  }

  /** What was pending at the reset point, rebuilt from the copied events. */
  private static final class Pending {
    final Map<Long, ActivityTaskScheduledEventAttributes> activities = new LinkedHashMap<>();
    final Map<Long, Long> activityCancelRequests = new LinkedHashMap<>();
    final Map<String, TimerInfo> timers = new LinkedHashMap<>();

    void apply(MutableState state, HistoryEvent event) {
      switch (event.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> activities.put(event.getEventId(), event.getActivityTaskScheduledEventAttributes());
        case EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED -> activityCancelRequests.put(
            event.getActivityTaskCancelRequestedEventAttributes().getScheduledEventId(), event.getEventId());
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> activities.remove(event.getActivityTaskCompletedEventAttributes().getScheduledEventId());
        case EVENT_TYPE_ACTIVITY_TASK_FAILED -> activities.remove(event.getActivityTaskFailedEventAttributes().getScheduledEventId());
        case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> activities.remove(event.getActivityTaskTimedOutEventAttributes().getScheduledEventId());
        case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> activities.remove(event.getActivityTaskCanceledEventAttributes().getScheduledEventId());
        case EVENT_TYPE_TIMER_STARTED -> {
          TimerInfo timer = new TimerInfo();
          timer.timerId = event.getTimerStartedEventAttributes().getTimerId();
          timer.startedEventId = event.getEventId();
          timer.fireTimeMillis = Timestamps.toMillis(event.getEventTime())
              + Durations.toMillis(event.getTimerStartedEventAttributes().getStartToFireTimeout());
          timers.put(timer.timerId, timer);
        }
        case EVENT_TYPE_TIMER_FIRED -> timers.remove(event.getTimerFiredEventAttributes().getTimerId());
        case EVENT_TYPE_TIMER_CANCELED -> timers.remove(event.getTimerCanceledEventAttributes().getTimerId());
        case EVENT_TYPE_WORKFLOW_TASK_COMPLETED ->
            state.lastCompletedWorkflowTaskStartedEventId = event.getWorkflowTaskCompletedEventAttributes().getStartedEventId();
        case EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED -> state.cancelRequested = true;
        case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> state.searchAttributes = Upserts.searchAttributes(state.searchAttributes,
            event.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes());
        case EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED -> state.memo = Upserts.memo(state.memo,
            event.getWorkflowPropertiesModifiedEventAttributes().getUpsertedMemo());
        case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
          UpdateInfo info = new UpdateInfo();
          info.acceptedEventId = event.getEventId();
          state.updates.put(event.getWorkflowExecutionUpdateAcceptedEventAttributes().getProtocolInstanceId(), info);
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED -> {
          UpdateInfo info = state.updates.get(event.getWorkflowExecutionUpdateCompletedEventAttributes().getMeta().getUpdateId());
          if (info != null) {
            info.completedEventId = event.getEventId();
          }
        }
        default -> {
          // no pending state (markers, signals, workflow task events, ...)
        }
      }
    }
  }
}
