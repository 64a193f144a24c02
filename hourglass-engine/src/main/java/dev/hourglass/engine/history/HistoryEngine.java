package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.NotFoundException;
import dev.hourglass.common.WorkflowKey;
import dev.hourglass.engine.matching.MatchingEngine;
import dev.hourglass.engine.matching.PollerInfo;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.engine.shard.ShardController;
import dev.hourglass.engine.timer.TimerTarget;
import dev.hourglass.engine.visibility.SearchAttributeValidator;
import dev.hourglass.store.CurrentExecution;
import dev.hourglass.store.ExecutionStore;
import dev.hourglass.store.TaskKind;
import dev.hourglass.store.TaskRecord;
import dev.hourglass.store.TimerRecord;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.PendingWorkflowTaskState;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.PendingWorkflowTaskInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionConfig;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The history service of this process: everything that changes or reads an execution. The
 * frontend calls it after validating requests and resolving the namespace; matching calls its
 * task starters; the timer queues fire into it. Every change goes through {@link ExecutionUpdater}.
 */
public final class HistoryEngine {
  private final ExecutionStore store;
  private final ExecutionUpdater updater;
  private final WorkflowTasks workflowTasks;
  private final Activities activities;
  private final WorkflowTaskCompletion completion;
  private final WorkflowStarter starter;
  private final HistoryReader reader;
  private final Signals signals;
  private final Queries queries;
  private final RunOutcomes outcomes;
  private final Updates updates;
  private final Resets resets;
  private final ChildWorkflows children;
  private final ExternalRequests externalRequests;
  private final Schedules schedules;
  private final NexusOperations nexusOperations;

  /**
   * @param nexusEndpoints the Nexus endpoint of a name, if one is registered
   */
  public HistoryEngine(ExecutionStore store, ShardController shards, MatchingEngine matching, Clock clock,
      ScheduledExecutorService scheduler, NamespaceRegistry namespaces, SearchAttributeValidator searchAttributes,
      Function<String, Optional<io.temporal.api.nexus.v1.Endpoint>> nexusEndpoints) {
    this.store = requireNonNull(store, "store is null");
    HistoryWatchers watchers = new HistoryWatchers();
    this.updater = new ExecutionUpdater(store, shards, clock, watchers);
    this.updater.setMatching(matching);
    this.workflowTasks = new WorkflowTasks(matching);
    this.activities = new Activities(workflowTasks, namespaces::nameOf);
    this.signals = new Signals(workflowTasks);
    this.starter = new WorkflowStarter(store, updater, workflowTasks, signals);
    this.reader = new HistoryReader(store, updater, watchers, scheduler);
    this.outcomes = new RunOutcomes(starter, reader);
    this.children = new ChildWorkflows(store, updater, starter, workflowTasks, signals, reader, namespaces);
    this.externalRequests = new ExternalRequests(store, updater, workflowTasks, signals, namespaces);
    this.updates = new Updates(updater, reader, workflowTasks, scheduler);
    this.resets = new Resets(updater, reader, workflowTasks, activities);
    this.schedules = new Schedules(store, updater, starter, workflowTasks, signals, searchAttributes);
    this.nexusOperations = new NexusOperations(updater, workflowTasks, reader, nexusEndpoints, namespaces);
    this.completion = new WorkflowTaskCompletion(workflowTasks, activities, starter, children, externalRequests, outcomes, updates,
        searchAttributes, nexusOperations);
    this.updater.setBeforeCommit(mutation -> {
      HistoryLimits.enforce(mutation, workflowTasks);
      if (mutation.closesRun()) {
        children.onRunClosed(mutation);
        schedules.onRunClosed(mutation);
        nexusOperations.onRunClosed(mutation);
      }
    });
    this.queries = new Queries(updater, reader, matching, scheduler, clock);
    this.updater.setCommitListener(mutation -> {
      queries.onCommitted(mutation);
      updates.onCommitted(mutation);
    });
  }

  /** Retention: deletes a closed run (state, history, visibility); false when it is open or gone. */
  public boolean deleteClosedRun(ExecutionKey key) {
    return updater.deleteClosed(key);
  }

  /**
   * DeleteWorkflowExecution: a running run is terminated first, as Temporal does, then deleted.
   * The termination's transfer tasks (parent close policy, telling the parent) read the run, so
   * they are run here before it goes, as Temporal deletes only after the close tasks are done;
   * their queued rows then find it gone and are deleted. Running a transfer task twice changes
   * nothing the second time.
   */
  public void deleteRun(ExecutionKey key) {
    if (updater.deleteClosed(key)) {
      return;
    }
    List<TimerRecord> closeTasks = List.of();
    try {
      ExecutionMutation closing = updater.update(key, mutation -> {
        WorkflowCloser.terminate(mutation, workflowTasks, "Delete workflow execution", null, "");
        return mutation;
      });
      closeTasks = closing.newTimers().stream().filter(timer -> TimerKind.fromCode(timer.kind()).crossesExecutions()).toList();
    } catch (NotFoundException closedMeanwhile) {
      // it closed on its own between the two steps: delete it as it is
    }
    for (TimerRecord task : closeTasks) {
      fireTransfer(TimerKind.fromCode(task.kind()), task);
    }
    updater.deleteClosed(key);
  }

  public StartWorkflowResult startWorkflow(String namespaceId, StartWorkflowExecutionRequest request) {
    return starter.start(namespaceId, request);
  }

  /** A signal for a workflow: name, input and header as the client sent them. */
  public record SignalRequest(String name, Payloads input, io.temporal.api.common.v1.Header header, String identity, String requestId,
      List<io.temporal.api.common.v1.Link> links) {}

  /** SignalWithStartWorkflowExecution: signals the running workflow of that id, or starts one with the signal. */
  public StartWorkflowResult signalWithStart(String namespaceId, StartWorkflowExecutionRequest start, SignalRequest signal) {
    return starter.start(namespaceId, start, Optional.of(toSignal(signal)));
  }

  public void signal(ExecutionKey key, SignalRequest signal) {
    updater.update(key, mutation -> {
      signals.signal(mutation, toSignal(signal));
      return null;
    });
  }

  private static Signals.Signal toSignal(SignalRequest signal) {
    return new Signals.Signal(signal.name(), signal.input(), signal.header(), signal.identity(), signal.requestId(), null, signal.links());
  }

  /**
   * RequestCancelWorkflowExecution: a success even if the run already closed, as in Temporal.
   *
   * @param firstExecutionRunId when not empty, the run must belong to the chain that began with it
   */
  public void requestCancel(ExecutionKey key, String firstExecutionRunId, String reason, String identity, String requestId) {
    updater.update(key, mutation -> {
      requireChain(mutation.state(), firstExecutionRunId);
      signals.requestCancel(mutation, reason, identity, requestId);
      return null;
    });
  }

  private static void requireChain(MutableState state, String firstExecutionRunId) {
    if (!firstExecutionRunId.isEmpty() && !state.startedAttributes.getFirstExecutionRunId().equals(firstExecutionRunId)) {
      throw new NotFoundException("workflow execution not found: the current run of " + state.workflowId
          + " does not belong to the run chain " + firstExecutionRunId);
    }
  }

  public CompletableFuture<io.temporal.api.workflowservice.v1.QueryWorkflowResponse> query(ExecutionKey key,
      io.temporal.api.query.v1.WorkflowQuery query, io.temporal.api.enums.v1.QueryRejectCondition rejectCondition,
      java.time.Duration timeout) {
    return queries.query(key, query, rejectCondition, timeout);
  }

  public void respondQueryTaskCompleted(io.temporal.api.workflowservice.v1.RespondQueryTaskCompletedRequest request) {
    TaskToken token = workflowTaskToken(request.getTaskToken());
    if (!Queries.isQueryTask(token.id())) {
      throw new InvalidArgumentException("The task token is a workflow task's token, not a query task's.");
    }
    queries.respond(token, request);
  }

  /** The run a request names: the given run id, or the workflow id's current run. */
  public ExecutionKey resolveRun(String namespaceId, WorkflowExecution execution) {
    if (!execution.getRunId().isEmpty()) {
      return new ExecutionKey(namespaceId, execution.getWorkflowId(), execution.getRunId());
    }
    CurrentExecution current = store.getCurrentExecution(new WorkflowKey(namespaceId, execution.getWorkflowId()))
        .orElseThrow(() -> new NotFoundException("workflow not found for ID: " + execution.getWorkflowId()));
    return new ExecutionKey(namespaceId, execution.getWorkflowId(), current.runId());
  }

  // ---- workflow tasks ----

  /** Matching's starter for workflow tasks: records the start and builds the poll response. */
  public Optional<PollWorkflowTaskQueueResponse> recordWorkflowTaskStarted(TaskRecord task, PollerInfo poller) {
    if (Queries.isQueryTask(task.taskId())) {
      try {
        return queries.start(task);
      } catch (NotFoundException e) {
        return Optional.empty();
      }
    }
    ExecutionKey key = task.execution();
    StartedWorkflowTask started;
    try {
      started = updater.update(key, mutation -> {
        MutableState state = mutation.state();
        WorkflowTaskInfo workflowTask = state.workflowTask;
        if (!state.running() || workflowTask == null || workflowTask.taskId != task.taskId() || workflowTask.started()) {
          return null;
        }
        WorkflowTasks.markStarted(mutation, poller.identity());
        mutation.deleteTask(workflowTask.taskQueue, TaskKind.WORKFLOW, workflowTask.taskId);
        return StartedWorkflowTask.of(state, updates.deliver(key, workflowTask));
      });
    } catch (NotFoundException e) {
      return Optional.empty();
    }
    if (started == null) {
      return Optional.empty();
    }
    return Optional.of(pollResponse(key, started));
  }

  /** A workflow task as it started, under the lock: what its poll response is made of. */
  private record StartedWorkflowTask(WorkflowTaskInfo task, long previousStartedEventId, long readUpTo, String workflowType,
      String taskQueue, List<HistoryEvent> transientEvents, List<io.temporal.api.protocol.v1.Message> messages) {
    static StartedWorkflowTask of(MutableState state, List<io.temporal.api.protocol.v1.Message> messages) {
      WorkflowTaskInfo workflowTask = state.workflowTask;
      long readUpTo = workflowTask.isTransient() ? state.nextEventId - 1 : workflowTask.startedEventId;
      return new StartedWorkflowTask(copy(workflowTask), state.lastCompletedWorkflowTaskStartedEventId, readUpTo,
          state.workflowType(), state.taskQueue(), WorkflowTasks.transientEvents(state, workflowTask), messages);
    }
  }

  private PollWorkflowTaskQueueResponse pollResponse(ExecutionKey key, StartedWorkflowTask started) {
    WorkflowTaskInfo workflowTask = started.task();
    // A sticky worker has the run cached up to the previous task: send only what is new.
    long from = workflowTask.sticky && started.previousStartedEventId() > 0 ? started.previousStartedEventId() + 1 : 1;
    List<HistoryEvent> events = new java.util.ArrayList<>(reader.readEvents(key, from, started.readUpTo(), Integer.MAX_VALUE));
    events.addAll(started.transientEvents());
    return PollWorkflowTaskQueueResponse.newBuilder()
        .setTaskToken(new TaskToken(key, true, workflowTask.taskId, workflowTask.attempt).encode())
        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(key.workflowId()).setRunId(key.runId()))
        .setWorkflowType(io.temporal.api.common.v1.WorkflowType.newBuilder().setName(started.workflowType()))
        .setPreviousStartedEventId(started.previousStartedEventId())
        .setStartedEventId(workflowTask.startedEventId)
        .setAttempt(workflowTask.attempt)
        .setHistory(History.newBuilder().addAllEvents(events))
        .addAllMessages(started.messages())
        .setWorkflowExecutionTaskQueue(TaskQueue.newBuilder().setName(started.taskQueue()).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
        .setScheduledTime(Timestamps.fromMillis(workflowTask.scheduledTimeMillis))
        .setStartedTime(Timestamps.fromMillis(workflowTask.startedTimeMillis))
        .build();
  }

  /** A start and, for an eager start that created a run, its first workflow task, started for the caller. */
  public record StartWithTask(StartWorkflowResult started, Optional<PollWorkflowTaskQueueResponse> eagerWorkflowTask) {}

  /**
   * StartWorkflowExecution with {@code request_eager_execution}: as Temporal does, the new run's first
   * workflow task is started in the start's own transaction, by the caller's identity, and returned with
   * the start so the client's local worker runs it without a poll. A run whose first workflow task waits
   * for a backoff (cron, start delay), or a start that found the workflow running, gets none; its task goes
   * through matching as usual. An eager task its worker never completes times out and is retried through
   * the task queue.
   */
  public StartWithTask startWorkflowEagerly(String namespaceId, StartWorkflowExecutionRequest request) {
    java.util.concurrent.atomic.AtomicReference<ExecutionKey> eagerRun = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<StartedWorkflowTask> eagerTask = new java.util.concurrent.atomic.AtomicReference<>();
    StartWorkflowResult started = starter.start(namespaceId, request, mutation -> {
      MutableState state = mutation.state();
      WorkflowTaskInfo workflowTask = state.workflowTask;
      if (workflowTask == null || workflowTask.started()) {
        return;
      }
      mutation.withdrawNewTask(workflowTask.taskId);
      WorkflowTasks.markStarted(mutation, request.getIdentity());
      StartedWorkflowTask task = StartedWorkflowTask.of(state, List.of());
      ExecutionKey key = mutation.executionKey();
      mutation.afterCommit(() -> {
        eagerRun.set(key);
        eagerTask.set(task);
      });
    });
    ExecutionKey key = eagerRun.get();
    if (!started.started() || key == null || !key.runId().equals(started.runId())) {
      return new StartWithTask(started, Optional.empty());
    }
    return new StartWithTask(started, Optional.of(pollResponse(key, eagerTask.get())));
  }

  private static WorkflowTaskInfo copy(WorkflowTaskInfo task) {
    WorkflowTaskInfo copy = new WorkflowTaskInfo();
    copy.taskId = task.taskId;
    copy.attempt = task.attempt;
    copy.taskQueue = task.taskQueue;
    copy.sticky = task.sticky;
    copy.scheduledEventId = task.scheduledEventId;
    copy.startedEventId = task.startedEventId;
    copy.scheduledTimeMillis = task.scheduledTimeMillis;
    copy.startedTimeMillis = task.startedTimeMillis;
    return copy;
  }

  /**
   * What a workflow task completion answers: activity tasks started eagerly for the worker, and the
   * event id to roll its history back to when a speculative task was dropped (0 otherwise).
   */
  public record WorkflowTaskCompleted(List<PollActivityTaskQueueResponse> eagerActivities, long resetHistoryEventId) {}

  /** Applies the worker's commands and update messages. */
  public WorkflowTaskCompleted respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest request) {
    TaskToken token = workflowTaskToken(request.getTaskToken());
    WorkflowTaskCompletion.Outcome outcome = updater.update(token.execution(), mutation -> {
      startedWorkflowTask(mutation.state(), token);
      return completion.complete(mutation, request);
    });
    if (outcome.rejected()) {
      throw new InvalidArgumentException(outcome.rejection());
    }
    return new WorkflowTaskCompleted(outcome.eagerActivities(), outcome.resetHistoryEventId());
  }

  // ---- Nexus tasks ----

  /** Matching's starter for Nexus tasks: the start or cancel request, or empty when the task is stale. */
  public Optional<io.temporal.api.workflowservice.v1.PollNexusTaskQueueResponse> recordNexusTaskStarted(TaskRecord task, PollerInfo poller) {
    return nexusOperations.recordTaskStarted(task, poller);
  }

  /** RespondNexusTaskCompleted: the handler's answer; an answer to a request no longer in flight is ignored. */
  public void respondNexusTaskCompleted(io.temporal.api.workflowservice.v1.RespondNexusTaskCompletedRequest request) {
    nexusOperations.respondCompleted(NexusTaskToken.decode(request.getTaskToken()), request.getResponse());
  }

  /** RespondNexusTaskFailed: a handler error, retried or recorded as Temporal does. */
  public void respondNexusTaskFailed(io.temporal.api.workflowservice.v1.RespondNexusTaskFailedRequest request) {
    NexusTaskToken token = NexusTaskToken.decode(request.getTaskToken());
    Failure failure;
    if (request.hasFailure()) {
      if (!request.getFailure().hasNexusHandlerFailureInfo()) {
        throw new InvalidArgumentException("request Failure must contain error or failure with NexusHandlerFailureInfo");
      }
      failure = request.getFailure();
    } else if (request.hasError()) {
      failure = NexusFailures.fromHandlerError(request.getError());
    } else {
      throw new InvalidArgumentException("Neither Failure nor Error set on RespondNexusTaskFailedRequest");
    }
    nexusOperations.respondFailed(token, failure);
  }

  // ---- workflow updates ----

  /** How a caller waits for an update: the stage, and how long (the server's long-poll or the client's deadline). */
  public record UpdateWait(io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage stage, long timeoutMillis,
      boolean clientDeadline) {}

  /** An update's stage and, once completed, its outcome (null before). */
  public record UpdateStatus(io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage stage,
      io.temporal.api.update.v1.Outcome outcome) {}

  public CompletableFuture<UpdateStatus> updateWorkflow(ExecutionKey key, String firstExecutionRunId,
      io.temporal.api.update.v1.Request request, UpdateWait wait) {
    return updates.update(key, firstExecutionRunId, request, new Updates.Wait(wait.stage(), wait.timeoutMillis(), wait.clientDeadline()))
        .thenApply(status -> new UpdateStatus(status.stage(), status.outcome()));
  }

  /**
   * The start and, when it created a run, the update admitted with it (the run's first workflow task carries
   * it); an empty update when the start used a run that was already there, which the caller updates as usual.
   */
  public record StartWithUpdate(StartWorkflowResult started, Optional<CompletableFuture<UpdateStatus>> update) {}

  /** Update-with-start's start: starts the workflow and admits the update to the new run in the same change. */
  public StartWithUpdate startWithUpdate(String namespaceId, StartWorkflowExecutionRequest start,
      io.temporal.api.update.v1.Request request, UpdateWait wait) {
    Updates.AdmissionWithStart admission =
        updates.admissionWithStart(request, new Updates.Wait(wait.stage(), wait.timeoutMillis(), wait.clientDeadline()));
    StartWorkflowResult started = starter.start(namespaceId, start, admission::admitTo);
    return new StartWithUpdate(started, admission.status().map(status ->
        status.thenApply(reached -> new UpdateStatus(reached.stage(), reached.outcome()))));
  }

  public CompletableFuture<UpdateStatus> pollUpdate(ExecutionKey key, String updateId, UpdateWait wait) {
    return updates.poll(key, updateId, new Updates.Wait(wait.stage(), wait.timeoutMillis(), wait.clientDeadline()))
        .thenApply(status -> new UpdateStatus(status.stage(), status.outcome()));
  }

  public void respondWorkflowTaskFailed(ByteString taskToken, WorkflowTaskFailedCause cause, Failure failure, String identity) {
    TaskToken token = workflowTaskToken(taskToken);
    updater.update(token.execution(), mutation -> {
      startedWorkflowTask(mutation.state(), token);
      if (cause == WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_GRPC_MESSAGE_TOO_LARGE) {
        // The worker's completion was over the request size limit: retrying would produce it again.
        // Temporal fails the task as a forced close and terminates the run, naming the cause.
        workflowTasks.failForClose(mutation, failure, identity);
        WorkflowCloser.terminate(mutation, workflowTasks, cause.name(), null, ChildWorkflows.SERVER_IDENTITY);
        return null;
      }
      workflowTasks.fail(mutation, cause, failure, identity);
      return null;
    });
  }

  private static TaskToken workflowTaskToken(ByteString encoded) {
    TaskToken token = TaskToken.decode(encoded);
    if (!token.workflowTask()) {
      throw new InvalidArgumentException("The task token is an activity task's token, not a workflow task's.");
    }
    return token;
  }

  private static void startedWorkflowTask(MutableState state, TaskToken token) {
    if (!state.running()) {
      throw new NotFoundException("workflow execution already completed");
    }
    WorkflowTaskInfo task = state.workflowTask;
    if (task == null || !task.started() || task.taskId != token.id() || task.attempt != token.attempt()) {
      throw new NotFoundException("Workflow task not found.");
    }
  }

  // ---- activity tasks ----

  /** Matching's starter for activity tasks. */
  public Optional<PollActivityTaskQueueResponse> recordActivityTaskStarted(TaskRecord task, PollerInfo poller) {
    try {
      return Optional.ofNullable(updater.update(task.execution(), mutation ->
          activities.start(mutation, task.taskId(), task.scheduledEventId(), poller.identity(), java.util.UUID.randomUUID().toString())));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** Where an activity answer goes: by task token, or by workflow/run/activity id. */
  public record ActivityRef(ExecutionKey execution, long scheduledEventId, int attempt, String activityId) {
    public static ActivityRef byToken(ByteString taskToken) {
      TaskToken token = TaskToken.decode(taskToken);
      if (token.workflowTask()) {
        throw new InvalidArgumentException("The task token is a workflow task's token, not an activity task's.");
      }
      return new ActivityRef(token.execution(), token.id(), token.attempt(), null);
    }
  }

  public void respondActivityTaskCompleted(ActivityRef ref, Payloads result, String identity) {
    updater.update(ref.execution(), mutation -> {
      activities.complete(mutation, pendingActivity(mutation.state(), ref), result, identity);
      return null;
    });
  }

  public void respondActivityTaskFailed(ActivityRef ref, Failure failure, Payloads lastHeartbeatDetails, String identity) {
    updater.update(ref.execution(), mutation -> {
      activities.fail(mutation, pendingActivity(mutation.state(), ref), failure, lastHeartbeatDetails, identity);
      return null;
    });
  }

  public void respondActivityTaskCanceled(ActivityRef ref, Payloads details, String identity) {
    updater.update(ref.execution(), mutation -> {
      activities.canceled(mutation, pendingActivity(mutation.state(), ref), details, identity);
      return null;
    });
  }

  /** Records heartbeat details; returns whether the workflow asked to cancel the activity. */
  public boolean recordActivityTaskHeartbeat(ActivityRef ref, Payloads details) {
    return updater.update(ref.execution(), mutation ->
        activities.heartbeat(mutation, pendingActivity(mutation.state(), ref), details));
  }

  private static ActivityInfo pendingActivity(MutableState state, ActivityRef ref) {
    if (ref.activityId() != null) {
      ActivityInfo activity = Activities.byActivityId(state, ref.activityId());
      if (!activity.started()) {
        throw new NotFoundException(Activities.STALE_ACTIVITY);
      }
      return activity;
    }
    return Activities.startedAttempt(state, ref.scheduledEventId(), ref.attempt());
  }

  // ---- timers ----

  /** A durable timer is due: apply what it guards, if that still matters. */
  public TimerTarget.Fired fireTimer(TimerRecord timer) {
    TimerKind kind = TimerKind.fromCode(timer.kind());
    if (kind.crossesExecutions()) {
      fireTransfer(kind, timer);
      // A transfer task deletes its row in a change of the execution that wrote it; if that one
      // was deleted before the task ran, nothing could.
      return updater.exists(timer.execution()) ? TimerTarget.Fired.HANDLED : TimerTarget.Fired.EXECUTION_GONE;
    }
    try {
      updater.update(timer.execution(), mutation -> {
        onTimer(mutation, kind, timer);
        return null;
      });
      return TimerTarget.Fired.HANDLED;
    } catch (NotFoundException e) {
      // The execution is gone (deleted): the timer has nothing to do, and no change of the
      // execution can delete its row any more.
      return TimerTarget.Fired.EXECUTION_GONE;
    }
  }

  /** Transfer tasks take several executions' locks one after another, so they run outside any update. */
  private void fireTransfer(TimerKind kind, TimerRecord task) {
    switch (kind) {
      case START_CHILD_WORKFLOW -> children.startChild(task);
      case RECORD_CHILD_COMPLETION -> children.recordCompletion(task);
      case APPLY_PARENT_CLOSE_POLICY -> children.applyParentClosePolicy(task);
      case SIGNAL_EXTERNAL_WORKFLOW, CANCEL_EXTERNAL_WORKFLOW -> externalRequests.deliver(task);
      case SCHEDULE_NEXT_ACTION -> schedules.onNextAction(task);
      case SCHEDULE_ACT -> schedules.act(task);
      case SCHEDULE_WORKFLOW_CLOSED -> schedules.onWorkflowClosed(task);
      case NEXUS_COMPLETION_CALLBACK -> nexusOperations.deliverCompletion(task, children::deleteTask);
      default -> throw new IllegalArgumentException("not a transfer task: " + kind);
    }
  }

  private void onTimer(ExecutionMutation mutation, TimerKind kind, TimerRecord timer) {
    MutableState state = mutation.state();
    switch (kind) {
      case USER_TIMER -> {
        mutation.deleteTimer(timer.timerId());
        TimerInfo info = state.timers.get(timer.name());
        if (!state.running() || info == null || info.timerRowId != timer.timerId()) {
          return;
        }
        state.timers.remove(info.timerId);
        workflowTasks.appendExternal(mutation, List.of(mutation.unnumbered(EventType.EVENT_TYPE_TIMER_FIRED, event ->
            event.setTimerFiredEventAttributes(io.temporal.api.history.v1.TimerFiredEventAttributes.newBuilder()
                .setTimerId(info.timerId)
                .setStartedEventId(info.startedEventId)))));
      }
      case ACTIVITY_SCHEDULE_TO_START, ACTIVITY_SCHEDULE_TO_CLOSE, ACTIVITY_START_TO_CLOSE, ACTIVITY_HEARTBEAT, ACTIVITY_RETRY ->
          activities.onTimer(mutation, kind, timer.eventId(), timer.attempt(), timer.timerId());
      case WORKFLOW_TASK_START_TO_CLOSE -> {
        mutation.deleteTimer(timer.timerId());
        WorkflowTaskInfo task = state.workflowTask;
        if (!state.running() || task == null || task.timeoutTimerId != timer.timerId() || !task.started()) {
          return;
        }
        task.timeoutTimerId = 0;
        workflowTasks.timeOutStarted(mutation);
      }
      case WORKFLOW_TASK_SCHEDULE_TO_START -> {
        mutation.deleteTimer(timer.timerId());
        WorkflowTaskInfo task = state.workflowTask;
        if (!state.running() || task == null || task.timeoutTimerId != timer.timerId() || task.started()) {
          return;
        }
        task.timeoutTimerId = 0;
        workflowTasks.timeOutSticky(mutation);
      }
      case WORKFLOW_RUN_TIMEOUT -> {
        mutation.deleteTimer(timer.timerId());
        if (!state.running() || state.runTimeoutTimerId != timer.timerId()) {
          return;
        }
        state.runTimeoutTimerId = 0;
        workflowTasks.flushBuffered(mutation);
        outcomes.timeOut(mutation);
      }
      case WORKFLOW_BACKOFF -> FirstWorkflowTaskBackoff.onTimer(mutation, timer.timerId(), workflowTasks);
      case NEXUS_SCHEDULE_TO_CLOSE, NEXUS_SCHEDULE_TO_START, NEXUS_START_TO_CLOSE, NEXUS_REQUEST_TIMEOUT, NEXUS_RETRY,
          NEXUS_CANCEL_REQUEST_TIMEOUT, NEXUS_CANCEL_RETRY -> nexusOperations.onTimer(mutation, kind, timer);
      case START_CHILD_WORKFLOW, RECORD_CHILD_COMPLETION, SIGNAL_EXTERNAL_WORKFLOW, CANCEL_EXTERNAL_WORKFLOW, APPLY_PARENT_CLOSE_POLICY,
          SCHEDULE_NEXT_ACTION, SCHEDULE_ACT, SCHEDULE_WORKFLOW_CLOSED, NEXUS_COMPLETION_CALLBACK ->
          throw new IllegalStateException("transfer tasks are fired by fireTransfer");
    }
  }

  // ---- schedules ----

  public io.temporal.api.workflowservice.v1.CreateScheduleResponse createSchedule(String namespaceId,
      io.temporal.api.workflowservice.v1.CreateScheduleRequest request) {
    return io.temporal.api.workflowservice.v1.CreateScheduleResponse.newBuilder()
        .setConflictToken(schedules.create(namespaceId, new Schedules.CreateRequest(request.getScheduleId(), request.getSchedule(),
            request.hasInitialPatch() ? request.getInitialPatch() : null, request.getIdentity(), request.getRequestId(),
            request.hasMemo() ? request.getMemo() : null, request.hasSearchAttributes() ? request.getSearchAttributes() : null)))
        .build();
  }

  public io.temporal.api.workflowservice.v1.DescribeScheduleResponse describeSchedule(String namespaceId, String scheduleId) {
    return schedules.describe(namespaceId, scheduleId);
  }

  public void updateSchedule(String namespaceId, io.temporal.api.workflowservice.v1.UpdateScheduleRequest request) {
    schedules.update(namespaceId, request.getScheduleId(), request.getSchedule(), request.getConflictToken(),
        request.hasSearchAttributes() ? request.getSearchAttributes() : null);
  }

  public void patchSchedule(String namespaceId, String scheduleId, io.temporal.api.schedule.v1.SchedulePatch patch) {
    schedules.patch(namespaceId, scheduleId, patch);
  }

  public void deleteSchedule(String namespaceId, String scheduleId) {
    schedules.delete(namespaceId, scheduleId);
  }

  public io.temporal.api.workflowservice.v1.ListSchedulesResponse listSchedules(String namespaceId, int pageSize, ByteString pageToken) {
    Schedules.Page page = schedules.list(namespaceId, pageSize, pageToken.toStringUtf8());
    return io.temporal.api.workflowservice.v1.ListSchedulesResponse.newBuilder()
        .addAllSchedules(page.entries())
        .setNextPageToken(ByteString.copyFromUtf8(page.nextPageToken()))
        .build();
  }

  /** ListSchedules with a query: the entries of the scheduler executions a visibility page listed. */
  public io.temporal.api.workflowservice.v1.ListSchedulesResponse listSchedules(String namespaceId,
      List<io.temporal.api.workflow.v1.WorkflowExecutionInfo> schedulerRuns, ByteString nextPageToken) {
    List<ExecutionKey> runs = schedulerRuns.stream()
        .map(run -> new ExecutionKey(namespaceId, run.getExecution().getWorkflowId(), run.getExecution().getRunId()))
        .toList();
    return io.temporal.api.workflowservice.v1.ListSchedulesResponse.newBuilder()
        .addAllSchedules(schedules.entries(namespaceId, runs))
        .setNextPageToken(nextPageToken)
        .build();
  }

  /** What a scheduler execution's workflow id puts before the schedule id. */
  public static String schedulerWorkflowIdPrefix() {
    return Schedules.WORKFLOW_ID_PREFIX;
  }

  public io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesResponse listScheduleMatchingTimes(String namespaceId,
      String scheduleId, long startMillis, long endMillis) {
    var response = io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesResponse.newBuilder();
    schedules.matchingTimes(namespaceId, scheduleId, startMillis, endMillis)
        .forEach(millis -> response.addStartTime(Timestamps.fromMillis(millis)));
    return response.build();
  }

  // ---- operator actions and reads ----

  public void terminate(ExecutionKey key, String firstExecutionRunId, String reason, Payloads details, String identity) {
    updater.update(key, mutation -> {
      requireChain(mutation.state(), firstExecutionRunId);
      WorkflowCloser.terminate(mutation, workflowTasks, reason, details, identity);
      return null;
    });
  }

  /** GetWorkflowExecutionHistory for a client that follows only continue-as-new to a chain's next run (the Java SDK). */
  public CompletableFuture<GetWorkflowExecutionHistoryResponse> getHistory(ExecutionKey key, ByteString pageToken, int maximumPageSize,
      boolean waitNewEvent, HistoryEventFilterType filter) {
    return getHistory(key, pageToken, maximumPageSize, waitNewEvent, filter, false);
  }

  /**
   * GetWorkflowExecutionHistory.
   *
   * @param clientFollowsNextRunId whether the client announced Temporal's "follows-next-run-id"
   *     feature; if not, close events that name a next run (retry, cron) are shown as continued-as-new
   */
  public CompletableFuture<GetWorkflowExecutionHistoryResponse> getHistory(ExecutionKey key, ByteString pageToken, int maximumPageSize,
      boolean waitNewEvent, HistoryEventFilterType filter, boolean clientFollowsNextRunId) {
    return reader.getHistory(key, pageToken, maximumPageSize, waitNewEvent, filter, clientFollowsNextRunId);
  }

  /**
   * ResetWorkflowExecution of {@code base} (a run, or the current run when its run id is empty) to
   * the workflow task that {@code workflowTaskFinishEventId} ends; returns the new run's id.
   */
  public String reset(String namespaceId, WorkflowExecution base, long workflowTaskFinishEventId, String reason, String requestId,
      io.temporal.api.enums.v1.ResetReapplyType reapplyType, java.util.Set<io.temporal.api.enums.v1.ResetReapplyExcludeType> excludeTypes) {
    ExecutionKey baseKey = resolveRun(namespaceId, base);
    ExecutionKey current = resolveRun(namespaceId, WorkflowExecution.newBuilder().setWorkflowId(base.getWorkflowId()).build());
    return resets.reset(new Resets.Request(baseKey, workflowTaskFinishEventId, reason, requestId, reapplyType, excludeTypes), current);
  }

  public io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseResponse getHistoryReverse(ExecutionKey key,
      ByteString pageToken, int maximumPageSize) {
    return reader.getHistoryReverse(key, pageToken, maximumPageSize);
  }

  /**
   * ResetStickyTaskQueue: the next workflow task goes to the normal queue with full history (a
   * task already on the sticky queue moves there by its schedule-to-start timeout).
   */
  public void resetStickyTaskQueue(ExecutionKey key) {
    updater.update(key, mutation -> {
      MutableState state = mutation.state();
      if (!state.running()) {
        throw new NotFoundException("workflow execution already completed");
      }
      if (!state.stickyTaskQueue.isEmpty()) {
        WorkflowTasks.clearSticky(state);
        mutation.touch();
      }
      return null;
    });
  }

  public DescribeWorkflowExecutionResponse describe(ExecutionKey key) {
    return updater.read(key, state -> describe(state));
  }

  private static DescribeWorkflowExecutionResponse describe(MutableState state) {
    var started = state.startedAttributes;
    WorkflowExecutionInfo.Builder info = WorkflowExecutionInfo.newBuilder()
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(state.workflowId).setRunId(state.runId))
        .setType(started.getWorkflowType())
        .setStartTime(Timestamps.fromMillis(state.startTimeMillis))
        .setExecutionTime(Timestamps.fromMillis(state.startTimeMillis + Durations.toMillis(started.getFirstWorkflowTaskBackoff())))
        .setStatus(WorkflowExecutionStatus.forNumber(state.status))
        .setHistoryLength(state.nextEventId - 1)
        .setHistorySizeBytes(state.historySizeBytes)
        .setTaskQueue(state.taskQueue())
        .setFirstRunId(started.getFirstExecutionRunId());
    if (state.closeTimeMillis > 0) {
      info.setCloseTime(Timestamps.fromMillis(state.closeTimeMillis));
      info.setExecutionDuration(Durations.fromMillis(state.closeTimeMillis - state.startTimeMillis));
    }
    if (state.memo != null) {
      info.setMemo(state.memo);
    }
    if (state.searchAttributes != null) {
      info.setSearchAttributes(state.searchAttributes);
    }
    if (state.hasParent()) {
      info.setParentNamespaceId(started.getParentWorkflowNamespaceId()).setParentExecution(started.getParentWorkflowExecution());
    }
    if (started.hasRootWorkflowExecution()) {
      info.setRootExecution(started.getRootWorkflowExecution());
    }
    DescribeWorkflowExecutionResponse.Builder response = DescribeWorkflowExecutionResponse.newBuilder()
        .setExecutionConfig(WorkflowExecutionConfig.newBuilder()
            .setTaskQueue(started.getTaskQueue())
            .setWorkflowExecutionTimeout(started.getWorkflowExecutionTimeout())
            .setWorkflowRunTimeout(started.getWorkflowRunTimeout())
            .setDefaultWorkflowTaskTimeout(started.getWorkflowTaskTimeout())
            .setUserMetadata(state.userMetadata == null ? io.temporal.api.sdk.v1.UserMetadata.getDefaultInstance() : state.userMetadata))
        .setWorkflowExecutionInfo(info);
    for (ActivityInfo activity : state.activities.values()) {
      PendingActivityInfo.Builder pending = PendingActivityInfo.newBuilder()
          .setActivityId(activity.activityId)
          .setActivityType(activity.attributes.getActivityType())
          .setState(activity.cancelRequested ? PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
              : activity.started() ? PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
              : PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED)
          .setAttempt(activity.attempt)
          .setMaximumAttempts(activity.attributes.getRetryPolicy().getMaximumAttempts())
          .setScheduledTime(Timestamps.fromMillis(activity.currentAttemptScheduledTimeMillis))
          .setLastWorkerIdentity(activity.lastWorkerIdentity);
      if (activity.heartbeatDetails != null) {
        pending.setHeartbeatDetails(activity.heartbeatDetails);
      }
      if (activity.lastHeartbeatTimeMillis > 0) {
        pending.setLastHeartbeatTime(Timestamps.fromMillis(activity.lastHeartbeatTimeMillis));
      }
      if (activity.started()) {
        pending.setLastStartedTime(Timestamps.fromMillis(activity.startedTimeMillis));
      }
      if (activity.lastFailure != null) {
        pending.setLastFailure(activity.lastFailure);
      }
      if (activity.retryTimeMillis > 0) {
        pending.setNextAttemptScheduleTime(Timestamps.fromMillis(activity.retryTimeMillis));
      }
      long scheduleToClose = Durations.toMillis(activity.attributes.getScheduleToCloseTimeout());
      if (scheduleToClose > 0) {
        pending.setExpirationTime(Timestamps.fromMillis(activity.scheduledTimeMillis + scheduleToClose));
      }
      response.addPendingActivities(pending);
    }
    for (ChildInfo child : state.children.values()) {
      response.addPendingChildren(io.temporal.api.workflow.v1.PendingChildExecutionInfo.newBuilder()
          .setWorkflowId(child.workflowId)
          .setRunId(child.startedRunId)
          .setWorkflowTypeName(child.workflowType)
          .setInitiatedId(child.initiatedEventId)
          .setParentClosePolicy(io.temporal.api.enums.v1.ParentClosePolicy.forNumber(child.parentClosePolicy)));
    }
    response.addAllPendingNexusOperations(NexusOperations.describe(state));
    WorkflowTaskInfo task = state.workflowTask;
    if (task != null) {
      PendingWorkflowTaskInfo.Builder pending = PendingWorkflowTaskInfo.newBuilder()
          .setState(task.started() ? PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED
              : PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED)
          .setScheduledTime(Timestamps.fromMillis(task.scheduledTimeMillis))
          .setOriginalScheduledTime(Timestamps.fromMillis(task.scheduledTimeMillis))
          .setAttempt(task.attempt);
      if (task.started()) {
        pending.setStartedTime(Timestamps.fromMillis(task.startedTimeMillis));
      }
      response.setPendingWorkflowTask(pending);
    }
    return response.build();
  }
}
