package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Durations;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.engine.visibility.SearchAttributeValidator;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import io.temporal.api.history.v1.TimerCanceledEventAttributes;
import io.temporal.api.history.v1.TimerStartedEventAttributes;
import io.temporal.api.history.v1.UpsertWorkflowSearchAttributesEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionCanceledEventAttributes;
import io.temporal.api.history.v1.WorkflowPropertiesModifiedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskCompletedEventAttributes;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.temporal.api.protocol.v1.Message;

/**
 * RespondWorkflowTaskCompleted: the worker's commands become events, in command order, after
 * WorkflowTaskCompleted; then the events buffered while the task ran; then a new workflow task if
 * the workflow is still open and has something new to process.
 *
 * <p>The commands are validated before anything is written. An invalid command, or a closing
 * command while buffered events wait (Temporal's UnhandledCommand), fails the workflow task
 * instead: the failure is committed and the worker gets INVALID_ARGUMENT, as from Temporal.
 */
final class WorkflowTaskCompletion {
  /** Most activities started eagerly per completion; the worker reserved a slot for each it asked for. */
  static final int MAX_EAGER_ACTIVITIES = 3;

  /**
   * What the completion led to, for the RPC's answer (errors are answered after the commit).
   *
   * @param eagerActivities activity tasks started for the completing worker (eager execution)
   */
  record Outcome(String rejection, List<PollActivityTaskQueueResponse> eagerActivities, long resetHistoryEventId) {
    static final Outcome ACCEPTED = new Outcome(null, List.of());

    Outcome(String rejection) {
      this(rejection, List.of());
    }

    Outcome(String rejection, List<PollActivityTaskQueueResponse> eagerActivities) {
      this(rejection, eagerActivities, 0);
    }

    boolean rejected() {
      return rejection != null;
    }
  }

  private final WorkflowTasks workflowTasks;
  private final Activities activities;
  private final WorkflowStarter starter;
  private final ChildWorkflows children;
  private final ExternalRequests externalRequests;
  private final RunOutcomes outcomes;
  private final Updates updates;
  private final SearchAttributeValidator searchAttributes;
  private final NexusOperations nexusOperations;

  WorkflowTaskCompletion(WorkflowTasks workflowTasks, Activities activities, WorkflowStarter starter, ChildWorkflows children,
      ExternalRequests externalRequests, RunOutcomes outcomes, Updates updates, SearchAttributeValidator searchAttributes,
      NexusOperations nexusOperations) {
    this.workflowTasks = requireNonNull(workflowTasks, "workflowTasks is null");
    this.activities = requireNonNull(activities, "activities is null");
    this.starter = requireNonNull(starter, "starter is null");
    this.children = requireNonNull(children, "children is null");
    this.externalRequests = requireNonNull(externalRequests, "externalRequests is null");
    this.outcomes = requireNonNull(outcomes, "outcomes is null");
    this.updates = requireNonNull(updates, "updates is null");
    this.searchAttributes = requireNonNull(searchAttributes, "searchAttributes is null");
    this.nexusOperations = requireNonNull(nexusOperations, "nexusOperations is null");
  }

  Outcome complete(ExecutionMutation mutation, RespondWorkflowTaskCompletedRequest request) {
    MutableState state = mutation.state();
    WorkflowTaskInfo task = state.workflowTask;
    List<Command> commands = request.getCommandsList();
    Map<String, Message> messages;
    try {
      messages = updates.validate(mutation.executionKey(), state, request);
    } catch (InvalidArgumentException e) {
      return reject(mutation, WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE, e.getMessage(),
          request.getIdentity());
    }
    if (Updates.discardable(state, request)) {
      return discardSpeculative(mutation, task, messages, commands);
    }

    boolean closes = false;
    for (int i = 0; i < commands.size(); i++) {
      if (isClosing(commands.get(i).getCommandType())) {
        if (i != commands.size() - 1) {
          return reject(mutation, WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_COMPLETE_WORKFLOW_EXECUTION_ATTRIBUTES,
              "invalid command sequence: " + commands.get(i).getCommandType() + " must be the last command.", request.getIdentity());
        }
        closes = true;
      }
    }
    if (closes && !state.bufferedEvents.isEmpty()) {
      workflowTasks.fail(mutation, WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND, null, request.getIdentity());
      return new Outcome("UnhandledCommand");
    }
    List<Command> normalized = new ArrayList<>(commands.size());
    for (Command command : commands) {
      try {
        normalized.add(searchAttributes.validateCommand(state.namespaceId, validate(state, command, normalized)));
      } catch (LimitExceededException e) {
        return reject(mutation, e.taskFailedCause(), e.getMessage(), request.getIdentity());
      } catch (InvalidArgumentException e) {
        return reject(mutation, causeFor(command.getCommandType()), e.getMessage(), request.getIdentity());
      }
    }

    workflowTasks.materialize(mutation, task);
    HistoryEvent completed = mutation.append(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, event -> {
      WorkflowTaskCompletedEventAttributes.Builder attributes = WorkflowTaskCompletedEventAttributes.newBuilder()
          .setScheduledEventId(task.scheduledEventId)
          .setStartedEventId(task.startedEventId)
          .setIdentity(request.getIdentity())
          .setBinaryChecksum(request.getBinaryChecksum())
          .setSdkMetadata(request.getSdkMetadata())
          .setMeteringMetadata(request.getMeteringMetadata());
      if (request.hasWorkerVersionStamp()) {
        attributes.setWorkerVersion(request.getWorkerVersionStamp());
      }
      event.setWorkflowTaskCompletedEventAttributes(attributes);
    });
    state.lastCompletedWorkflowTaskStartedEventId = task.startedEventId;
    mutation.deleteTimer(task.timeoutTimerId);
    state.workflowTask = null;
    if (request.hasStickyAttributes() && !request.getStickyAttributes().getWorkerTaskQueue().getName().isEmpty()) {
      state.stickyTaskQueue = request.getStickyAttributes().getWorkerTaskQueue().getName();
      long timeout = Durations.toMillis(request.getStickyAttributes().getScheduleToStartTimeout());
      state.stickyScheduleToStartTimeoutMillis = timeout > 0 ? timeout : 5_000;
    } else {
      WorkflowTasks.clearSticky(state);
    }

    long completedEventId = completed.getEventId();
    List<PollActivityTaskQueueResponse> eager = new ArrayList<>();
        for (Command command : normalized) {
      int firstEvent = mutation.newEvents().size();
      if (!closes && eager.size() < MAX_EAGER_ACTIVITIES && isEager(state, command)) {
        eager.add(activities.scheduleEager(mutation, command.getScheduleActivityTaskCommandAttributes(), completedEventId,
            request.getIdentity()));
      } else if (command.getCommandType() == CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE) {
        updates.apply(mutation, messages.get(command.getProtocolMessageCommandAttributes().getMessageId()), completedEventId);
      } else {
        apply(mutation, command, completedEventId, request.getIdentity());
      }
      if (command.hasUserMetadata()) {
        mutation.attachUserMetadata(firstEvent, command.getUserMetadata());
      }
    }
    boolean updatesWaiting = updates.afterCommands(mutation, task, messages, normalized);
    boolean newEvents = workflowTasks.flushBuffered(mutation);
    if (state.running() && (newEvents || request.getForceCreateNewWorkflowTask())) {
      workflowTasks.schedule(mutation, 1);
    } else if (state.running() && updatesWaiting) {
      workflowTasks.scheduleSpeculative(mutation);
    }
    return new Outcome(null, eager);
  }

  /**
   * A speculative task in which the worker only rejected updates leaves no trace in history, as in
   * Temporal; the worker is told to roll its history back to the last completed task.
   */
  private Outcome discardSpeculative(ExecutionMutation mutation, WorkflowTaskInfo task, Map<String, Message> messages,
      List<Command> commands) {
    MutableState state = mutation.state();
    mutation.deleteTimer(task.timeoutTimerId);
    state.workflowTask = null;
    mutation.touch();
    if (updates.afterCommands(mutation, task, messages, commands)) {
      workflowTasks.scheduleSpeculative(mutation);
    }
    return new Outcome(null, List.of(), state.lastCompletedWorkflowTaskStartedEventId);
  }

  private Outcome reject(ExecutionMutation mutation, WorkflowTaskFailedCause cause, String message, String identity) {
    WorkflowTaskInfo task = mutation.state().workflowTask;
    if (task.isTransient()) {
      // As in Temporal: a rejected completion of a retried task is dropped; it will time out.
      return new Outcome(message);
    }
    workflowTasks.fail(mutation, cause, Failure.newBuilder().setMessage(message).build(), identity);
    return new Outcome(message);
  }

  /** Eager execution is for activities on the workflow's own task queue, as in Temporal. */
  private static boolean isEager(MutableState state, Command command) {
    return command.getCommandType() == CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK
        && command.getScheduleActivityTaskCommandAttributes().getRequestEagerExecution()
        && command.getScheduleActivityTaskCommandAttributes().getTaskQueue().getName().equals(state.taskQueue());
  }

  private static boolean isClosing(CommandType type) {
    return type == CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION
        || type == CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION
        || type == CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION
        || type == CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION;
  }

  /**
   * Checks one command before any is applied, against the state and the commands before it in the
   * same completion; returns it with defaults filled in.
   */
  private Command validate(MutableState state, Command command, List<Command> earlier) {
    switch (command.getCommandType()) {
      case COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK -> {
        if (state.activities.size() + count(earlier, command.getCommandType()) >= Activities.MAX_PENDING_ACTIVITIES) {
          throw new LimitExceededException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_ACTIVITIES_LIMIT_EXCEEDED,
              "the number of pending activities, " + Activities.MAX_PENDING_ACTIVITIES + ", has reached the per-workflow limit");
        }
        ScheduleActivityTaskCommandAttributes attributes = Activities.normalize(command.getScheduleActivityTaskCommandAttributes(), state);
        for (Command other : earlier) {
          if (other.hasScheduleActivityTaskCommandAttributes()
              && other.getScheduleActivityTaskCommandAttributes().getActivityId().equals(attributes.getActivityId())) {
            throw new InvalidArgumentException("Already open activity with " + attributes.getActivityId());
          }
        }
        return command.toBuilder().setScheduleActivityTaskCommandAttributes(attributes).build();
      }
      case COMMAND_TYPE_START_TIMER -> {
        var attributes = command.getStartTimerCommandAttributes();
        if (attributes.getTimerId().isEmpty()) {
          throw new InvalidArgumentException("TimerId is not set on command.");
        }
        if (Durations.toMillis(attributes.getStartToFireTimeout()) <= 0) {
          throw new InvalidArgumentException("A valid StartToFireTimeout is not set on command.");
        }
        if (state.timers.containsKey(attributes.getTimerId()) || startsTimer(earlier, attributes.getTimerId())) {
          throw new InvalidArgumentException("TimerId " + attributes.getTimerId() + " is already open.");
        }
        return command;
      }
      case COMMAND_TYPE_CANCEL_TIMER -> {
        String timerId = command.getCancelTimerCommandAttributes().getTimerId();
        if (!state.timers.containsKey(timerId) && !startsTimer(earlier, timerId)) {
          throw new InvalidArgumentException("Unable to cancel timer " + timerId + ": no such pending timer.");
        }
        return command;
      }
      case COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK -> {
        long scheduledEventId = command.getRequestCancelActivityTaskCommandAttributes().getScheduledEventId();
        if (!state.activities.containsKey(scheduledEventId)) {
          throw new InvalidArgumentException("Unable to cancel activity: no pending activity with scheduled event id " + scheduledEventId);
        }
        return command;
      }
      case COMMAND_TYPE_RECORD_MARKER -> {
        if (command.getRecordMarkerCommandAttributes().getMarkerName().isEmpty()) {
          throw new InvalidArgumentException("MarkerName is not set on command.");
        }
        return command;
      }
      case COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION -> {
        return command.toBuilder().setContinueAsNewWorkflowExecutionCommandAttributes(
            NextRuns.validate(command.getContinueAsNewWorkflowExecutionCommandAttributes())).build();
      }
      case COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION -> {
        return command.toBuilder().setStartChildWorkflowExecutionCommandAttributes(children.validate(state,
            command.getStartChildWorkflowExecutionCommandAttributes(), count(earlier, command.getCommandType()))).build();
      }
      case COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION -> {
        return command.toBuilder().setSignalExternalWorkflowExecutionCommandAttributes(externalRequests.validate(state,
            command.getSignalExternalWorkflowExecutionCommandAttributes(), count(earlier, command.getCommandType()))).build();
      }
      case COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION -> {
        return command.toBuilder().setRequestCancelExternalWorkflowExecutionCommandAttributes(externalRequests.validate(state,
            command.getRequestCancelExternalWorkflowExecutionCommandAttributes(), count(earlier, command.getCommandType()))).build();
      }
      case COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION -> {
        return command.toBuilder().setScheduleNexusOperationCommandAttributes(nexusOperations.validate(state,
            command.getScheduleNexusOperationCommandAttributes(), count(earlier, command.getCommandType()))).build();
      }
      case COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION -> {
        nexusOperations.validateCancel(state, command.getRequestCancelNexusOperationCommandAttributes(), earlier.stream()
            .filter(Command::hasRequestCancelNexusOperationCommandAttributes)
            .map(other -> other.getRequestCancelNexusOperationCommandAttributes().getScheduledEventId()).toList());
        return command;
      }
      case COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION, COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION,
          COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES,
          COMMAND_TYPE_PROTOCOL_MESSAGE -> {
        return command;
      }
      default -> throw new InvalidArgumentException("Command " + command.getCommandType()
          + " is not supported by this Hourglass version (see docs/compatibility.md).");
    }
  }

  private static int count(List<Command> commands, CommandType type) {
    return (int) commands.stream().filter(command -> command.getCommandType() == type).count();
  }

  private static boolean startsTimer(List<Command> commands, String timerId) {
    return commands.stream().anyMatch(command -> command.hasStartTimerCommandAttributes()
        && command.getStartTimerCommandAttributes().getTimerId().equals(timerId));
  }

  /** The workflow task failure cause Temporal reports for an invalid command of each type. */
  private static WorkflowTaskFailedCause causeFor(CommandType type) {
    return switch (type) {
      case COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES;
      case COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK ->
          WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES;
      case COMMAND_TYPE_START_TIMER -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES;
      case COMMAND_TYPE_CANCEL_TIMER -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_TIMER_ATTRIBUTES;
      case COMMAND_TYPE_RECORD_MARKER -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_RECORD_MARKER_ATTRIBUTES;
      case COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_COMPLETE_WORKFLOW_EXECUTION_ATTRIBUTES;
      case COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_FAIL_WORKFLOW_EXECUTION_ATTRIBUTES;
      case COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_WORKFLOW_EXECUTION_ATTRIBUTES;
      case COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CONTINUE_AS_NEW_ATTRIBUTES;
      case COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES;
      case COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES;
      case COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION ->
          WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_ATTRIBUTES;
      case COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES;
      case COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_MODIFY_WORKFLOW_PROPERTIES_ATTRIBUTES;
      case COMMAND_TYPE_PROTOCOL_MESSAGE -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE;
      case COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES;
      case COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION ->
          WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_NEXUS_OPERATION_ATTRIBUTES;
      case COMMAND_TYPE_UNSPECIFIED, UNRECOGNIZED -> WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED;
    };
  }

  private void apply(ExecutionMutation mutation, Command command, long completedEventId, String identity) {
    MutableState state = mutation.state();
    switch (command.getCommandType()) {
      case COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK -> activities.schedule(mutation, command.getScheduleActivityTaskCommandAttributes(), completedEventId);
      case COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK ->
          activities.requestCancel(mutation, command.getRequestCancelActivityTaskCommandAttributes().getScheduledEventId(), completedEventId);
      case COMMAND_TYPE_START_TIMER -> {
        var attributes = command.getStartTimerCommandAttributes();
        HistoryEvent started = mutation.append(EventType.EVENT_TYPE_TIMER_STARTED, event ->
            event.setTimerStartedEventAttributes(TimerStartedEventAttributes.newBuilder()
                .setTimerId(attributes.getTimerId())
                .setStartToFireTimeout(attributes.getStartToFireTimeout())
                .setWorkflowTaskCompletedEventId(completedEventId)));
        TimerInfo timer = new TimerInfo();
        timer.timerId = attributes.getTimerId();
        timer.startedEventId = started.getEventId();
        timer.fireTimeMillis = mutation.nowMillis() + Durations.toMillis(attributes.getStartToFireTimeout());
        timer.timerRowId = mutation.addTimer(timer.fireTimeMillis, TimerKind.USER_TIMER, timer.startedEventId, 0, timer.timerId);
        state.timers.put(timer.timerId, timer);
      }
      case COMMAND_TYPE_CANCEL_TIMER -> {
        TimerInfo timer = state.timers.remove(command.getCancelTimerCommandAttributes().getTimerId());
        mutation.deleteTimer(timer.timerRowId);
        mutation.append(EventType.EVENT_TYPE_TIMER_CANCELED, event ->
            event.setTimerCanceledEventAttributes(TimerCanceledEventAttributes.newBuilder()
                .setTimerId(timer.timerId)
                .setStartedEventId(timer.startedEventId)
                .setWorkflowTaskCompletedEventId(completedEventId)
                .setIdentity(identity)));
      }
      case COMMAND_TYPE_RECORD_MARKER -> {
        var attributes = command.getRecordMarkerCommandAttributes();
        mutation.append(EventType.EVENT_TYPE_MARKER_RECORDED, event -> {
          MarkerRecordedEventAttributes.Builder marker = MarkerRecordedEventAttributes.newBuilder()
              .setMarkerName(attributes.getMarkerName())
              .putAllDetails(attributes.getDetailsMap())
              .setWorkflowTaskCompletedEventId(completedEventId);
          if (attributes.hasHeader()) {
            marker.setHeader(attributes.getHeader());
          }
          if (attributes.hasFailure()) {
            marker.setFailure(attributes.getFailure());
          }
          event.setMarkerRecordedEventAttributes(marker);
        });
      }
      case COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> {
        SearchAttributes upsert = command.getUpsertWorkflowSearchAttributesCommandAttributes().getSearchAttributes();
        mutation.append(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, event ->
            event.setUpsertWorkflowSearchAttributesEventAttributes(UpsertWorkflowSearchAttributesEventAttributes.newBuilder()
                .setSearchAttributes(upsert)
                .setWorkflowTaskCompletedEventId(completedEventId)));
        state.searchAttributes = Upserts.searchAttributes(state.searchAttributes, upsert);
      }
      case COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES -> {
        Memo upsert = command.getModifyWorkflowPropertiesCommandAttributes().getUpsertedMemo();
        mutation.append(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED, event ->
            event.setWorkflowPropertiesModifiedEventAttributes(WorkflowPropertiesModifiedEventAttributes.newBuilder()
                .setUpsertedMemo(upsert)
                .setWorkflowTaskCompletedEventId(completedEventId)));
        state.memo = Upserts.memo(state.memo, upsert);
      }
      case COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION ->
          outcomes.complete(mutation, command.getCompleteWorkflowExecutionCommandAttributes().getResult(), completedEventId);
      case COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION ->
          outcomes.fail(mutation, command.getFailWorkflowExecutionCommandAttributes().getFailure(), completedEventId);
      case COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION -> WorkflowCloser.close(mutation,
          WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, event ->
              event.setWorkflowExecutionCanceledEventAttributes(WorkflowExecutionCanceledEventAttributes.newBuilder()
                  .setDetails(command.getCancelWorkflowExecutionCommandAttributes().getDetails())
                  .setWorkflowTaskCompletedEventId(completedEventId)));
      case COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION ->
          children.initiate(mutation, command.getStartChildWorkflowExecutionCommandAttributes(), completedEventId,
              command.hasUserMetadata() ? command.getUserMetadata() : null);
      case COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION ->
          externalRequests.initiateSignal(mutation, command.getSignalExternalWorkflowExecutionCommandAttributes(), completedEventId);
      case COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION ->
          externalRequests.initiateCancel(mutation, command.getRequestCancelExternalWorkflowExecutionCommandAttributes(), completedEventId);
      case COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION ->
          nexusOperations.schedule(mutation, command.getScheduleNexusOperationCommandAttributes(), completedEventId);
      case COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION ->
          nexusOperations.requestCancel(mutation, command.getRequestCancelNexusOperationCommandAttributes(), completedEventId);
      case COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION ->
          starter.continueAsNew(mutation, command.getContinueAsNewWorkflowExecutionCommandAttributes(), completedEventId, identity);
      default -> throw new IllegalStateException("command passed validation but has no handler: " + command.getCommandType());
    }
  }
}
