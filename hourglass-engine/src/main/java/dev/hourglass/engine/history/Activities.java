package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.NotFoundException;
import dev.hourglass.store.TaskKind;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.ActivityTaskCancelRequestedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskCanceledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskCompletedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskFailedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskTimedOutEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Activities inside an execution: scheduling (with Temporal's timeout normalization), attempts,
 * retries on the server (no history events between attempts), heartbeats, cancellation and the
 * four timeouts. Called with the execution's lock held, inside a mutation.
 */
final class Activities {
  /** Temporal's default limit of pending activities per run. */
  static final int MAX_PENDING_ACTIVITIES = 2_000;

  static final String STALE_ACTIVITY = "invalid activityID or activity already timed out or invoking workflow is completed";

  private final WorkflowTasks workflowTasks;
  private final Function<String, String> namespaceNames;

  Activities(WorkflowTasks workflowTasks, Function<String, String> namespaceNames) {
    this.workflowTasks = requireNonNull(workflowTasks, "workflowTasks is null");
    this.namespaceNames = requireNonNull(namespaceNames, "namespaceNames is null");
  }

  /**
   * Validates a ScheduleActivityTask command and fills in timeouts and retry policy, per the rules
   * of Temporal's frontend: schedule-to-close bounds the others; without it start-to-close is
   * required and schedule-to-close becomes the run timeout; everything is capped by the run timeout.
   */
  static ScheduleActivityTaskCommandAttributes normalize(ScheduleActivityTaskCommandAttributes command, MutableState state) {
    if (command.getActivityId().isEmpty()) {
      throw new InvalidArgumentException("ActivityId is not set on command.");
    }
    if (command.getActivityType().getName().isEmpty()) {
      throw new InvalidArgumentException("ActivityType is not set on command.");
    }
    for (var activity : state.activities.values()) {
      if (activity.activityId.equals(command.getActivityId())) {
        throw new InvalidArgumentException("Already open activity with " + command.getActivityId());
      }
    }
    long scheduleToClose = Durations.toMillis(command.getScheduleToCloseTimeout());
    long scheduleToStart = Durations.toMillis(command.getScheduleToStartTimeout());
    long startToClose = Durations.toMillis(command.getStartToCloseTimeout());
    long heartbeat = Durations.toMillis(command.getHeartbeatTimeout());
    if (scheduleToClose < 0 || scheduleToStart < 0 || startToClose < 0 || heartbeat < 0) {
      throw new InvalidArgumentException("A valid timeout may not be negative.");
    }
    long runTimeout = Durations.toMillis(state.startedAttributes.getWorkflowRunTimeout());
    if (scheduleToClose > 0) {
      scheduleToStart = scheduleToStart == 0 ? scheduleToClose : Math.min(scheduleToStart, scheduleToClose);
      startToClose = startToClose == 0 ? scheduleToClose : Math.min(startToClose, scheduleToClose);
    } else if (startToClose > 0) {
      scheduleToClose = runTimeout;
      if (scheduleToStart == 0) {
        scheduleToStart = runTimeout;
      }
    } else {
      throw new InvalidArgumentException("A valid StartToClose or ScheduleToCloseTimeout is not set on command.");
    }
    if (runTimeout > 0) {
      scheduleToClose = scheduleToClose == 0 ? runTimeout : Math.min(scheduleToClose, runTimeout);
      scheduleToStart = scheduleToStart == 0 ? runTimeout : Math.min(scheduleToStart, runTimeout);
      startToClose = Math.min(startToClose, runTimeout);
      heartbeat = Math.min(heartbeat, runTimeout);
    }
    if (scheduleToClose > 0) {
      heartbeat = Math.min(heartbeat, scheduleToClose);
    }
    var builder = command.toBuilder()
        .setScheduleToCloseTimeout(Durations.fromMillis(scheduleToClose))
        .setScheduleToStartTimeout(Durations.fromMillis(scheduleToStart))
        .setStartToCloseTimeout(Durations.fromMillis(startToClose))
        .setHeartbeatTimeout(Durations.fromMillis(heartbeat))
        .setRetryPolicy(RetryPolicies.normalize(command.getRetryPolicy()));
    if (command.getTaskQueue().getName().isEmpty()) {
      builder.setTaskQueue(state.startedAttributes.getTaskQueue());
    }
    return builder.build();
  }

  /** Appends ActivityTaskScheduled and dispatches attempt 1. {@code command} is already normalized. */
  void schedule(ExecutionMutation mutation, ScheduleActivityTaskCommandAttributes command, long completedEventId) {
    ActivityInfo activity = scheduleWithoutDispatch(mutation, command, completedEventId);
    dispatchAttempt(mutation, activity);
  }

  /**
   * Eager execution (the worker asked for it and completes this workflow task on the activity's
   * own task queue): attempt 1 starts now, in the same transaction, and goes back in the
   * RespondWorkflowTaskCompleted response instead of through a task queue.
   */
  PollActivityTaskQueueResponse scheduleEager(ExecutionMutation mutation, ScheduleActivityTaskCommandAttributes command,
      long completedEventId, String identity) {
    ActivityInfo activity = scheduleWithoutDispatch(mutation, command, completedEventId);
    activity.currentAttemptScheduledTimeMillis = mutation.nowMillis();
    return startAttempt(mutation, activity, identity, java.util.UUID.randomUUID().toString());
  }

  private ActivityInfo scheduleWithoutDispatch(ExecutionMutation mutation, ScheduleActivityTaskCommandAttributes command,
      long completedEventId) {
    ActivityTaskScheduledEventAttributes attributes = ActivityTaskScheduledEventAttributes.newBuilder()
        .setActivityId(command.getActivityId())
        .setActivityType(command.getActivityType())
        .setTaskQueue(command.getTaskQueue())
        .setHeader(command.getHeader())
        .setInput(command.getInput())
        .setScheduleToCloseTimeout(command.getScheduleToCloseTimeout())
        .setScheduleToStartTimeout(command.getScheduleToStartTimeout())
        .setStartToCloseTimeout(command.getStartToCloseTimeout())
        .setHeartbeatTimeout(command.getHeartbeatTimeout())
        .setWorkflowTaskCompletedEventId(completedEventId)
        .setRetryPolicy(command.getRetryPolicy())
        .setPriority(command.getPriority())
        .build();
    HistoryEvent scheduled = mutation.append(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
        event -> event.setActivityTaskScheduledEventAttributes(attributes));
    return track(mutation, attributes, scheduled.getEventId());
  }

  /** The pending activity of a scheduled event, with its schedule-to-close timer from now. */
  private static ActivityInfo track(ExecutionMutation mutation, ActivityTaskScheduledEventAttributes attributes, long scheduledEventId) {
    ActivityInfo activity = new ActivityInfo();
    activity.scheduledEventId = scheduledEventId;
    activity.activityId = attributes.getActivityId();
    activity.attributes = attributes;
    activity.scheduledTimeMillis = mutation.nowMillis();
    mutation.state().activities.put(activity.scheduledEventId, activity);
    long scheduleToClose = Durations.toMillis(attributes.getScheduleToCloseTimeout());
    if (scheduleToClose > 0) {
      activity.scheduleToCloseTimerId = mutation.addTimer(activity.scheduledTimeMillis + scheduleToClose,
          TimerKind.ACTIVITY_SCHEDULE_TO_CLOSE, activity.scheduledEventId, 0, "");
    }
    return activity;
  }

  /**
   * An activity pending at the point a run was reset to: scheduled again from now, attempt 1, as
   * Temporal reschedules the activities of a reset run (their events are already in the copied history).
   */
  void reschedule(ExecutionMutation mutation, ActivityTaskScheduledEventAttributes attributes, long scheduledEventId,
      long cancelRequestedEventId) {
    ActivityInfo activity = track(mutation, attributes, scheduledEventId);
    activity.cancelRequested = cancelRequestedEventId != 0;
    activity.cancelRequestedEventId = cancelRequestedEventId;
    dispatchAttempt(mutation, activity);
  }

  /** Puts the current attempt in the task queue, guarded by its schedule-to-start timeout. */
  private static void dispatchAttempt(ExecutionMutation mutation, ActivityInfo activity) {
    activity.retryTimeMillis = 0;
    activity.currentAttemptScheduledTimeMillis = mutation.nowMillis();
    activity.taskId = mutation.addTask(activity.attributes.getTaskQueue().getName(), TaskKind.ACTIVITY, activity.scheduledEventId);
    long scheduleToStart = Durations.toMillis(activity.attributes.getScheduleToStartTimeout());
    long scheduleToClose = Durations.toMillis(activity.attributes.getScheduleToCloseTimeout());
    // When schedule-to-start is as long as schedule-to-close, the latter fires first anyway.
    if (scheduleToStart > 0 && (scheduleToClose == 0 || scheduleToStart < scheduleToClose)) {
      activity.scheduleToStartTimerId = mutation.addTimer(mutation.nowMillis() + scheduleToStart,
          TimerKind.ACTIVITY_SCHEDULE_TO_START, activity.scheduledEventId, activity.attempt, "");
    }
  }

  /** A poller took the activity's task: start the attempt. Empty when the task is stale. */
  PollActivityTaskQueueResponse start(ExecutionMutation mutation, long taskId, long scheduledEventId, String identity, String requestId) {
    MutableState state = mutation.state();
    ActivityInfo activity = state.activities.get(scheduledEventId);
    if (!state.running() || activity == null || activity.taskId != taskId || activity.started()) {
      return null;
    }
    return startAttempt(mutation, activity, identity, requestId);
  }

  private PollActivityTaskQueueResponse startAttempt(ExecutionMutation mutation, ActivityInfo activity, String identity, String requestId) {
    MutableState state = mutation.state();
    long now = mutation.nowMillis();
    activity.startedTimeMillis = now;
    activity.startedIdentity = identity;
    activity.lastWorkerIdentity = identity;
    activity.startedRequestId = requestId;
    mutation.deleteTask(activity.attributes.getTaskQueue().getName(), TaskKind.ACTIVITY, activity.taskId);
    activity.taskId = 0;
    mutation.deleteTimer(activity.scheduleToStartTimerId);
    activity.scheduleToStartTimerId = 0;
    activity.startToCloseTimerId = mutation.addTimer(now + Durations.toMillis(activity.attributes.getStartToCloseTimeout()),
        TimerKind.ACTIVITY_START_TO_CLOSE, activity.scheduledEventId, activity.attempt, "");
    long heartbeat = Durations.toMillis(activity.attributes.getHeartbeatTimeout());
    if (heartbeat > 0) {
      activity.heartbeatTimerId = mutation.addTimer(now + heartbeat, TimerKind.ACTIVITY_HEARTBEAT, activity.scheduledEventId,
          activity.attempt, "");
    }
    mutation.touch();
    ActivityTaskScheduledEventAttributes attributes = activity.attributes;
    PollActivityTaskQueueResponse.Builder response = PollActivityTaskQueueResponse.newBuilder()
        .setTaskToken(new TaskToken(mutation.executionKey(), false, activity.scheduledEventId, activity.attempt).encode())
        .setWorkflowNamespace(namespaceNames.apply(state.namespaceId))
        .setWorkflowType(WorkflowType.newBuilder().setName(state.workflowType()))
        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(state.workflowId).setRunId(state.runId))
        .setActivityType(attributes.getActivityType())
        .setActivityId(activity.activityId)
        .setHeader(attributes.getHeader())
        .setInput(attributes.getInput())
        .setScheduledTime(Timestamps.fromMillis(activity.scheduledTimeMillis))
        .setCurrentAttemptScheduledTime(Timestamps.fromMillis(activity.currentAttemptScheduledTimeMillis))
        .setStartedTime(Timestamps.fromMillis(now))
        .setAttempt(activity.attempt)
        .setScheduleToCloseTimeout(attributes.getScheduleToCloseTimeout())
        .setStartToCloseTimeout(attributes.getStartToCloseTimeout())
        .setHeartbeatTimeout(attributes.getHeartbeatTimeout())
        .setRetryPolicy(attributes.getRetryPolicy())
        .setPriority(Priorities.merge(state.startedAttributes.getPriority(), attributes.getPriority()));
    if (activity.heartbeatDetails != null) {
      response.setHeartbeatDetails(activity.heartbeatDetails);
    }
    return response.build();
  }

  /** The started attempt named by a task token (or activity id); NOT_FOUND when it is over. */
  static ActivityInfo startedAttempt(MutableState state, long scheduledEventId, int attempt) {
    if (!state.running()) {
      throw new NotFoundException("workflow execution already completed");
    }
    ActivityInfo activity = state.activities.get(scheduledEventId);
    if (activity == null || !activity.started() || (attempt != 0 && activity.attempt != attempt)) {
      throw new NotFoundException(STALE_ACTIVITY);
    }
    return activity;
  }

  static ActivityInfo byActivityId(MutableState state, String activityId) {
    if (!state.running()) {
      throw new NotFoundException("workflow execution already completed");
    }
    for (ActivityInfo activity : state.activities.values()) {
      if (activity.activityId.equals(activityId)) {
        return activity;
      }
    }
    throw new NotFoundException("cannot find pending activity with ActivityID " + activityId
        + ", check workflow execution history for more details");
  }

  void complete(ExecutionMutation mutation, ActivityInfo activity, Payloads result, String identity) {
    close(mutation, activity, true, HistoryEvent.newBuilder()
        .setEventType(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
        .setActivityTaskCompletedEventAttributes(ActivityTaskCompletedEventAttributes.newBuilder()
            .setResult(result)
            .setScheduledEventId(activity.scheduledEventId)
            .setStartedEventId(WorkflowTasks.STARTED_EVENT_ID_OF_PREVIOUS)
            .setIdentity(identity)));
  }

  /** A worker reported failure: retry per the policy, or close the activity as failed. */
  void fail(ExecutionMutation mutation, ActivityInfo activity, Failure failure, Payloads lastHeartbeatDetails, String identity) {
    if (lastHeartbeatDetails != null) {
      activity.heartbeatDetails = lastHeartbeatDetails;
    }
    RetryPolicies.Decision decision = RetryPolicies.decide(activity.attributes.getRetryPolicy(), activity.attempt, failure,
        mutation.nowMillis(), expirationMillis(activity));
    if (decision.retry()) {
      retry(mutation, activity, failure, decision.backoffMillis());
      return;
    }
    close(mutation, activity, true, HistoryEvent.newBuilder()
        .setEventType(EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED)
        .setActivityTaskFailedEventAttributes(ActivityTaskFailedEventAttributes.newBuilder()
            .setFailure(failure)
            .setRetryState(decision.state())
            .setScheduledEventId(activity.scheduledEventId)
            .setStartedEventId(WorkflowTasks.STARTED_EVENT_ID_OF_PREVIOUS)
            .setIdentity(identity)));
  }

  void canceled(ExecutionMutation mutation, ActivityInfo activity, Payloads details, String identity) {
    close(mutation, activity, true, canceledEvent(activity, details, identity, WorkflowTasks.STARTED_EVENT_ID_OF_PREVIOUS,
        mutation.nowMillis()));
  }

  /** Stores heartbeat details; returns whether cancellation was requested. */
  boolean heartbeat(ExecutionMutation mutation, ActivityInfo activity, Payloads details) {
    if (details != null) {
      activity.heartbeatDetails = details;
    }
    activity.lastHeartbeatTimeMillis = mutation.nowMillis();
    mutation.touch();
    return activity.cancelRequested;
  }

  /** The RequestCancelActivityTask command: cancel at once if not running, else ask the worker. */
  void requestCancel(ExecutionMutation mutation, long scheduledEventId, long completedEventId) {
    MutableState state = mutation.state();
    ActivityInfo activity = state.activities.get(scheduledEventId);
    if (activity == null) {
      throw new InvalidArgumentException("Unable to cancel activity: no pending activity with scheduled event id " + scheduledEventId);
    }
    HistoryEvent requested = mutation.append(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, event ->
        event.setActivityTaskCancelRequestedEventAttributes(ActivityTaskCancelRequestedEventAttributes.newBuilder()
            .setScheduledEventId(scheduledEventId)
            .setWorkflowTaskCompletedEventId(completedEventId)));
    activity.cancelRequested = true;
    activity.cancelRequestedEventId = requested.getEventId();
    if (!activity.started()) {
      removeActivity(mutation, activity);
      mutation.appendBuilt(canceledEvent(activity, null, "", 0, mutation.nowMillis()));
    }
  }

  private static HistoryEvent.Builder canceledEvent(ActivityInfo activity, Payloads details, String identity, long startedEventId,
      long nowMillis) {
    ActivityTaskCanceledEventAttributes.Builder attributes = ActivityTaskCanceledEventAttributes.newBuilder()
        .setScheduledEventId(activity.scheduledEventId)
        .setStartedEventId(startedEventId)
        .setLatestCancelRequestedEventId(activity.cancelRequestedEventId)
        .setIdentity(identity);
    if (details != null) {
      attributes.setDetails(details);
    }
    return HistoryEvent.newBuilder()
        .setEventTime(Timestamps.fromMillis(nowMillis))
        .setEventType(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED)
        .setActivityTaskCanceledEventAttributes(attributes);
  }

  /** A timer of this activity fired. */
  void onTimer(ExecutionMutation mutation, TimerKind kind, long scheduledEventId, int attempt, long timerId) {
    MutableState state = mutation.state();
    mutation.deleteTimer(timerId);
    ActivityInfo activity = state.activities.get(scheduledEventId);
    if (!state.running() || activity == null) {
      return;
    }
    long now = mutation.nowMillis();
    switch (kind) {
      case ACTIVITY_SCHEDULE_TO_START -> {
        if (activity.scheduleToStartTimerId != timerId || activity.started()) {
          return;
        }
        activity.scheduleToStartTimerId = 0;
        timeOut(mutation, activity, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START, RetryState.RETRY_STATE_TIMEOUT);
      }
      case ACTIVITY_SCHEDULE_TO_CLOSE -> {
        if (activity.scheduleToCloseTimerId != timerId) {
          return;
        }
        activity.scheduleToCloseTimerId = 0;
        timeOut(mutation, activity, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE, RetryState.RETRY_STATE_TIMEOUT);
      }
      case ACTIVITY_START_TO_CLOSE -> {
        if (activity.startToCloseTimerId != timerId || !activity.started() || activity.attempt != attempt) {
          return;
        }
        activity.startToCloseTimerId = 0;
        attemptTimedOut(mutation, activity, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
      }
      case ACTIVITY_HEARTBEAT -> {
        if (activity.heartbeatTimerId != timerId || !activity.started() || activity.attempt != attempt) {
          return;
        }
        long lastBeat = Math.max(activity.lastHeartbeatTimeMillis, activity.startedTimeMillis);
        long deadline = lastBeat + Durations.toMillis(activity.attributes.getHeartbeatTimeout());
        if (deadline > now) {
          // Heartbeats arrived since the timer was set: re-arm instead of writing a timer per beat.
          activity.heartbeatTimerId = mutation.addTimer(deadline, TimerKind.ACTIVITY_HEARTBEAT, scheduledEventId, attempt, "");
          return;
        }
        activity.heartbeatTimerId = 0;
        attemptTimedOut(mutation, activity, TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
      }
      case ACTIVITY_RETRY -> {
        if (activity.retryTimerId != timerId || activity.started() || activity.attempt != attempt) {
          return;
        }
        activity.retryTimerId = 0;
        mutation.touch();
        dispatchAttempt(mutation, activity);
      }
      default -> throw new IllegalArgumentException("not an activity timer: " + kind);
    }
  }

  /**
   * Start-to-close or heartbeat timeout of the running attempt: retried like a failure. As in Temporal, the
   * failure kept for the next attempt carries no heartbeat details (those travel on their own), and when the
   * schedule-to-close budget leaves no time for another attempt this attempt's timeout is replaced by a
   * schedule-to-close one whose cause is the previous attempts' last failure, not this timeout.
   */
  private void attemptTimedOut(ExecutionMutation mutation, ActivityInfo activity, TimeoutType type) {
    Failure timeout = Failures.activityTimeout(type, null, null);
    RetryPolicies.Decision decision = RetryPolicies.decide(activity.attributes.getRetryPolicy(), activity.attempt, timeout,
        mutation.nowMillis(), expirationMillis(activity));
    if (decision.retry()) {
      retry(mutation, activity, timeout, decision.backoffMillis());
      return;
    }
    if (decision.state() == RetryState.RETRY_STATE_TIMEOUT) {
      closeTimedOut(mutation, activity, Failures.retryBudgetExhausted(activity.heartbeatDetails, activity.lastFailure),
          decision.state());
      return;
    }
    closeTimedOut(mutation, activity, Failures.activityTimeout(type, activity.heartbeatDetails, activity.lastFailure), decision.state());
  }

  private void timeOut(ExecutionMutation mutation, ActivityInfo activity, TimeoutType type, RetryState retryState) {
    closeTimedOut(mutation, activity, Failures.activityTimeout(type, activity.heartbeatDetails, activity.lastFailure), retryState);
  }

  private void closeTimedOut(ExecutionMutation mutation, ActivityInfo activity, Failure failure, RetryState retryState) {
    boolean started = activity.started();
    close(mutation, activity, started, HistoryEvent.newBuilder()
        .setEventType(EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT)
        .setActivityTaskTimedOutEventAttributes(ActivityTaskTimedOutEventAttributes.newBuilder()
            .setFailure(failure)
            .setScheduledEventId(activity.scheduledEventId)
            .setStartedEventId(started ? WorkflowTasks.STARTED_EVENT_ID_OF_PREVIOUS : 0)
            .setRetryState(retryState)));
  }

  /** The attempt failed but the policy allows another: no event, the next attempt after the backoff. */
  private void retry(ExecutionMutation mutation, ActivityInfo activity, Failure failure, long backoffMillis) {
    long now = mutation.nowMillis();
    mutation.deleteTimer(activity.startToCloseTimerId);
    mutation.deleteTimer(activity.heartbeatTimerId);
    activity.startToCloseTimerId = 0;
    activity.heartbeatTimerId = 0;
    activity.lastFailure = failure;
    activity.attempt++;
    activity.startedTimeMillis = 0;
    activity.startedIdentity = "";
    activity.startedRequestId = "";
    activity.lastHeartbeatTimeMillis = 0;
    mutation.touch();
    if (backoffMillis <= 0) {
      dispatchAttempt(mutation, activity);
      return;
    }
    activity.retryTimeMillis = now + backoffMillis;
    activity.retryTimerId = mutation.addTimer(activity.retryTimeMillis, TimerKind.ACTIVITY_RETRY, activity.scheduledEventId,
        activity.attempt, "");
  }

  /**
   * The activity is over: its started event (if the last attempt started) and its close event go
   * to history (or the buffer, while a workflow task runs), its timers and task are dropped.
   */
  private void close(ExecutionMutation mutation, ActivityInfo activity, boolean withStartedEvent, HistoryEvent.Builder closeEvent) {
    removeActivity(mutation, activity);
    List<HistoryEvent.Builder> events = new ArrayList<>(2);
    long now = mutation.nowMillis();
    if (withStartedEvent) {
      ActivityTaskStartedEventAttributes.Builder started = ActivityTaskStartedEventAttributes.newBuilder()
          .setScheduledEventId(activity.scheduledEventId)
          .setIdentity(activity.startedIdentity)
          .setRequestId(activity.startedRequestId)
          .setAttempt(activity.attempt);
      if (activity.lastFailure != null) {
        started.setLastFailure(activity.lastFailure);
      }
      events.add(HistoryEvent.newBuilder()
          .setEventTime(Timestamps.fromMillis(activity.startedTimeMillis))
          .setEventType(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
          .setActivityTaskStartedEventAttributes(started));
    }
    events.add(closeEvent.setEventTime(Timestamps.fromMillis(now)));
    workflowTasks.appendExternal(mutation, events);
  }

  /** Forgets a pending activity: deletes its task row and timers. */
  static void removeActivity(ExecutionMutation mutation, ActivityInfo activity) {
    mutation.state().activities.remove(activity.scheduledEventId);
    mutation.deleteTask(activity.attributes.getTaskQueue().getName(), TaskKind.ACTIVITY, activity.taskId);
    mutation.deleteTimer(activity.scheduleToStartTimerId);
    mutation.deleteTimer(activity.scheduleToCloseTimerId);
    mutation.deleteTimer(activity.startToCloseTimerId);
    mutation.deleteTimer(activity.heartbeatTimerId);
    mutation.deleteTimer(activity.retryTimerId);
    mutation.touch();
  }

  private static long expirationMillis(ActivityInfo activity) {
    long scheduleToClose = Durations.toMillis(activity.attributes.getScheduleToCloseTimeout());
    return scheduleToClose > 0 ? activity.scheduledTimeMillis + scheduleToClose : 0;
  }
}
