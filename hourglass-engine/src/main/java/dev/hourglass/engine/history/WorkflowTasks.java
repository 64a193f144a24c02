package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.engine.matching.MatchingEngine;
import dev.hourglass.store.TaskKind;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.ActivityTaskCanceledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskCompletedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskFailedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskTimedOutEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskFailedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskScheduledEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskStartedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskTimedOutEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The workflow task's life cycle inside an execution: scheduling it (sticky or normal queue),
 * events that arrive while it runs (buffered, then flushed after its completion), its failure and
 * timeouts and the retry that follows (transient attempts, as Temporal does: see
 * {@link WorkflowTaskInfo}). Called with the execution's lock held, inside a mutation.
 */
final class WorkflowTasks {
  /** Marks a buffered close event whose started event id is the event flushed just before it. */
  static final long STARTED_EVENT_ID_OF_PREVIOUS = -1;
  /** Marks a child's close event whose ChildWorkflowExecutionStarted is flushed in the same batch. */
  static final long STARTED_EVENT_ID_OF_CHILD = -2;

  private final MatchingEngine matching;

  WorkflowTasks(MatchingEngine matching) {
    this.matching = requireNonNull(matching, "matching is null");
  }

  /**
   * Schedules a workflow task unless one is pending, the workflow is closed, or its first workflow
   * task still waits for its backoff ({@link FirstWorkflowTaskBackoff}).
   */
  void scheduleIfNeeded(ExecutionMutation mutation) {
    MutableState state = mutation.state();
    if (state.workflowTask == null && state.running() && !FirstWorkflowTaskBackoff.waiting(state)) {
      schedule(mutation, 1);
    }
  }

  void schedule(ExecutionMutation mutation, int attempt) {
    schedule(mutation, attempt, false);
  }

  /** A workflow task only to deliver workflow updates: no events unless the worker does more than reject (see {@link Updates}). */
  void scheduleSpeculative(ExecutionMutation mutation) {
    schedule(mutation, 1, true);
  }

  private void schedule(ExecutionMutation mutation, int attempt, boolean speculative) {
    MutableState state = mutation.state();
    WorkflowTaskInfo task = new WorkflowTaskInfo();
    task.attempt = attempt;
    task.speculative = speculative;
    task.speculativeNextEventId = speculative ? state.nextEventId : 0;
    task.sticky = !state.stickyTaskQueue.isEmpty() && matching.isStickyQueueAlive(state.namespaceId, state.stickyTaskQueue);
    task.taskQueue = task.sticky ? state.stickyTaskQueue : state.taskQueue();
    task.scheduledTimeMillis = mutation.nowMillis();
    if (!task.isTransient()) {
      HistoryEvent scheduled = mutation.append(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, event ->
          event.setWorkflowTaskScheduledEventAttributes(scheduledAttributes(state, task)));
      task.scheduledEventId = scheduled.getEventId();
    }
    task.taskId = mutation.addTask(task.taskQueue, TaskKind.WORKFLOW, task.scheduledEventId);
    if (task.sticky) {
      task.timeoutTimerId = mutation.addTimer(mutation.nowMillis() + state.stickyScheduleToStartTimeoutMillis,
          TimerKind.WORKFLOW_TASK_SCHEDULE_TO_START, task.taskId, attempt, "");
    }
    state.workflowTask = task;
  }

  /**
   * The pending workflow task starts, taken by {@code identity}: its started event (a transient attempt's
   * is only numbered) and its start-to-close timer. The caller removes its backlog row.
   */
  static void markStarted(ExecutionMutation mutation, String identity) {
    MutableState state = mutation.state();
    WorkflowTaskInfo workflowTask = state.workflowTask;
    workflowTask.startedTimeMillis = mutation.nowMillis();
    workflowTask.startedIdentity = identity;
    workflowTask.startedRequestId = java.util.UUID.randomUUID().toString();
    if (workflowTask.isTransient()) {
      workflowTask.startedEventId = state.nextEventId + 1;
      mutation.touch();
    } else {
      HistoryEvent startedEvent = mutation.append(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
          event -> event.setWorkflowTaskStartedEventAttributes(startedAttributes(state, workflowTask)));
      workflowTask.startedEventId = startedEvent.getEventId();
    }
    mutation.deleteTimer(workflowTask.timeoutTimerId);
    workflowTask.timeoutTimerId = mutation.addTimer(mutation.nowMillis() + taskTimeoutMillis(state),
        TimerKind.WORKFLOW_TASK_START_TO_CLOSE, workflowTask.taskId, workflowTask.attempt, "");
  }

  static WorkflowTaskScheduledEventAttributes scheduledAttributes(MutableState state, WorkflowTaskInfo task) {
    TaskQueue queue = task.sticky
        ? TaskQueue.newBuilder().setName(task.taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_STICKY).setNormalName(state.taskQueue()).build()
        : TaskQueue.newBuilder().setName(task.taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL).build();
    return WorkflowTaskScheduledEventAttributes.newBuilder()
        .setTaskQueue(queue)
        .setStartToCloseTimeout(state.startedAttributes.getWorkflowTaskTimeout())
        .setAttempt(task.attempt)
        .build();
  }

  static WorkflowTaskStartedEventAttributes startedAttributes(MutableState state, WorkflowTaskInfo task) {
    WorkflowTaskStartedEventAttributes.Builder started = WorkflowTaskStartedEventAttributes.newBuilder()
        .setScheduledEventId(task.scheduledEventId)
        .setIdentity(task.startedIdentity)
        .setRequestId(task.startedRequestId)
        .setHistorySizeBytes(state.historySizeBytes);
    HistoryLimits.suggestContinueAsNew(state, started);
    return started.build();
  }

  /**
   * The scheduled and started events of a transient attempt, numbered as they will be when the
   * attempt completes: shown to the worker, not stored.
   */
  static List<HistoryEvent> transientEvents(MutableState state, WorkflowTaskInfo task) {
    if (!task.isTransient() || !task.started()) {
      return List.of();
    }
    long scheduledId = task.startedEventId - 1;
    HistoryEvent scheduled = HistoryEvent.newBuilder()
        .setEventId(scheduledId).setTaskId(scheduledId)
        .setEventTime(Timestamps.fromMillis(task.scheduledTimeMillis))
        .setEventType(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)
        .setWorkflowTaskScheduledEventAttributes(scheduledAttributes(state, task))
        .build();
    HistoryEvent started = HistoryEvent.newBuilder()
        .setEventId(task.startedEventId).setTaskId(task.startedEventId)
        .setEventTime(Timestamps.fromMillis(task.startedTimeMillis))
        .setEventType(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
        .setWorkflowTaskStartedEventAttributes(startedAttributes(state, task).toBuilder().setScheduledEventId(scheduledId))
        .build();
    return List.of(scheduled, started);
  }

  /** A transient attempt completed: its scheduled and started events become history. */
  void materialize(ExecutionMutation mutation, WorkflowTaskInfo task) {
    if (!task.isTransient()) {
      return;
    }
    MutableState state = mutation.state();
    List<HistoryEvent> events = transientEvents(state, task);
    for (HistoryEvent event : events) {
      mutation.appendBuilt(event.toBuilder());
    }
    task.scheduledEventId = events.get(0).getEventId();
  }

  /**
   * An event from outside the workflow task (activity result, fired timer, signal): appended now,
   * with a workflow task to process it, or buffered while a workflow task runs so that the task's
   * completion events stay contiguous in history.
   */
  void appendExternal(ExecutionMutation mutation, List<HistoryEvent.Builder> events) {
    MutableState state = mutation.state();
    if (state.workflowTask != null && state.workflowTask.started()) {
      for (HistoryEvent.Builder event : events) {
        state.bufferedEvents.add(event.build());
      }
      mutation.touch();
      return;
    }
    appendLinked(mutation, events);
    scheduleIfNeeded(mutation);
  }

  /** Flushes buffered events into history; returns whether there were any. */
  boolean flushBuffered(ExecutionMutation mutation) {
    MutableState state = mutation.state();
    if (state.bufferedEvents.isEmpty()) {
      return false;
    }
    List<HistoryEvent.Builder> events = new ArrayList<>();
    state.bufferedEvents.forEach(event -> events.add(event.toBuilder()));
    state.bufferedEvents.clear();
    appendLinked(mutation, events);
    return true;
  }

  /**
   * Appends events, giving a close event marked {@link #STARTED_EVENT_ID_OF_PREVIOUS} the id of the
   * one before it, and a child's close event marked {@link #STARTED_EVENT_ID_OF_CHILD} the id of
   * that child's started event in this batch; a pending child learns its started event id here.
   */
  private static void appendLinked(ExecutionMutation mutation, List<HistoryEvent.Builder> events) {
    long previousId = 0;
    Map<Long, Long> childStartedIds = new HashMap<>();
    for (HistoryEvent.Builder event : events) {
      linkStartedEvent(event, previousId);
      linkChildStartedEvent(event, childStartedIds);
      HistoryEvent appended = mutation.appendBuilt(event);
      previousId = appended.getEventId();
      if (appended.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
        long initiatedEventId = appended.getChildWorkflowExecutionStartedEventAttributes().getInitiatedEventId();
        childStartedIds.put(initiatedEventId, previousId);
        ChildInfo child = mutation.state().children.get(initiatedEventId);
        if (child != null) {
          child.startedEventId = previousId;
        }
      }
    }
  }

  private static void linkChildStartedEvent(HistoryEvent.Builder event, Map<Long, Long> childStartedIds) {
    switch (event.getEventType()) {
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED -> {
        var attributes = event.getChildWorkflowExecutionCompletedEventAttributesBuilder();
        attributes.setStartedEventId(childStartedId(attributes.getStartedEventId(), attributes.getInitiatedEventId(), childStartedIds));
      }
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED -> {
        var attributes = event.getChildWorkflowExecutionFailedEventAttributesBuilder();
        attributes.setStartedEventId(childStartedId(attributes.getStartedEventId(), attributes.getInitiatedEventId(), childStartedIds));
      }
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED -> {
        var attributes = event.getChildWorkflowExecutionCanceledEventAttributesBuilder();
        attributes.setStartedEventId(childStartedId(attributes.getStartedEventId(), attributes.getInitiatedEventId(), childStartedIds));
      }
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT -> {
        var attributes = event.getChildWorkflowExecutionTimedOutEventAttributesBuilder();
        attributes.setStartedEventId(childStartedId(attributes.getStartedEventId(), attributes.getInitiatedEventId(), childStartedIds));
      }
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED -> {
        var attributes = event.getChildWorkflowExecutionTerminatedEventAttributesBuilder();
        attributes.setStartedEventId(childStartedId(attributes.getStartedEventId(), attributes.getInitiatedEventId(), childStartedIds));
      }
      default -> {
        // not a child's close event
      }
    }
  }

  private static long childStartedId(long startedEventId, long initiatedEventId, Map<Long, Long> childStartedIds) {
    if (startedEventId != STARTED_EVENT_ID_OF_CHILD) {
      return startedEventId;
    }
    Long id = childStartedIds.get(initiatedEventId);
    if (id == null) {
      throw new IllegalStateException("child started event of initiated event " + initiatedEventId + " is not in this batch");
    }
    return id;
  }

  private static void linkStartedEvent(HistoryEvent.Builder event, long previousId) {
    switch (event.getEventType()) {
      case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
        ActivityTaskCompletedEventAttributes.Builder attributes = event.getActivityTaskCompletedEventAttributesBuilder();
        if (attributes.getStartedEventId() == STARTED_EVENT_ID_OF_PREVIOUS) {
          attributes.setStartedEventId(previousId);
        }
      }
      case EVENT_TYPE_ACTIVITY_TASK_FAILED -> {
        ActivityTaskFailedEventAttributes.Builder attributes = event.getActivityTaskFailedEventAttributesBuilder();
        if (attributes.getStartedEventId() == STARTED_EVENT_ID_OF_PREVIOUS) {
          attributes.setStartedEventId(previousId);
        }
      }
      case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> {
        ActivityTaskTimedOutEventAttributes.Builder attributes = event.getActivityTaskTimedOutEventAttributesBuilder();
        if (attributes.getStartedEventId() == STARTED_EVENT_ID_OF_PREVIOUS) {
          attributes.setStartedEventId(previousId);
        }
      }
      case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> {
        ActivityTaskCanceledEventAttributes.Builder attributes = event.getActivityTaskCanceledEventAttributesBuilder();
        if (attributes.getStartedEventId() == STARTED_EVENT_ID_OF_PREVIOUS) {
          attributes.setStartedEventId(previousId);
        }
      }
      default -> {
        // other events carry no reference to a started event
      }
    }
  }

  /**
   * The running workflow task failed (reported by the worker, or its completion was rejected):
   * record it (first attempt only), drop stickiness, and schedule the next attempt — transient,
   * unless new events arrived meanwhile, which reset the attempt to 1 as in Temporal.
   */
  void fail(ExecutionMutation mutation, WorkflowTaskFailedCause cause, Failure failure, String identity) {
    WorkflowTaskInfo task = mutation.state().workflowTask;
    recordFailure(mutation, task, cause, failure, identity);
    retryAfterFailure(mutation, task);
  }

  /** The running workflow task fails because the run is being closed under it: no retry follows. */
  void failForClose(ExecutionMutation mutation, Failure failure, String identity) {
    recordFailure(mutation, mutation.state().workflowTask, WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND,
        failure, identity);
  }

  private static void recordFailure(ExecutionMutation mutation, WorkflowTaskInfo task, WorkflowTaskFailedCause cause, Failure failure,
      String identity) {
    if (!task.isTransient()) {
      mutation.append(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, event -> {
        WorkflowTaskFailedEventAttributes.Builder attributes = WorkflowTaskFailedEventAttributes.newBuilder()
            .setScheduledEventId(task.scheduledEventId)
            .setStartedEventId(task.startedEventId)
            .setCause(cause)
            .setIdentity(identity);
        if (failure != null) {
          attributes.setFailure(failure);
        }
        event.setWorkflowTaskFailedEventAttributes(attributes);
      });
    }
  }

  /** The running workflow task exceeded its start-to-close timeout. */
  void timeOutStarted(ExecutionMutation mutation) {
    WorkflowTaskInfo task = mutation.state().workflowTask;
    recordTimeout(mutation, task, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    retryAfterFailure(mutation, task);
  }

  /** WorkflowTaskTimedOut, for attempts whose events are in history (started event id 0 if it never started). */
  private static void recordTimeout(ExecutionMutation mutation, WorkflowTaskInfo task, TimeoutType type) {
    if (task.isTransient()) {
      return;
    }
    mutation.append(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, event -> event.setWorkflowTaskTimedOutEventAttributes(
        WorkflowTaskTimedOutEventAttributes.newBuilder()
            .setScheduledEventId(task.scheduledEventId)
            .setStartedEventId(task.startedEventId)
            .setTimeoutType(type)));
  }

  /**
   * Nobody took the task from the sticky queue in time (its worker is gone): move it to the normal
   * queue. Not the workflow's fault, so the attempt stays the same.
   */
  void timeOutSticky(ExecutionMutation mutation) {
    MutableState state = mutation.state();
    WorkflowTaskInfo task = state.workflowTask;
    recordTimeout(mutation, task, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    mutation.deleteTask(task.taskQueue, TaskKind.WORKFLOW, task.taskId);
    mutation.deleteTimer(task.timeoutTimerId);
    state.workflowTask = null;
    clearSticky(state);
    schedule(mutation, task.attempt);
  }

  private void retryAfterFailure(ExecutionMutation mutation, WorkflowTaskInfo task) {
    MutableState state = mutation.state();
    mutation.deleteTimer(task.timeoutTimerId);
    state.workflowTask = null;
    clearSticky(state);
    boolean newEvents = flushBuffered(mutation);
    if (state.running()) {
      schedule(mutation, newEvents ? 1 : task.attempt + 1);
    }
  }

  static void clearSticky(MutableState state) {
    state.stickyTaskQueue = "";
    state.stickyScheduleToStartTimeoutMillis = 0;
  }

  /** The workflow task timeout in milliseconds (normalized at start). */
  static long taskTimeoutMillis(MutableState state) {
    return Durations.toMillis(state.startedAttributes.getWorkflowTaskTimeout());
  }
}
