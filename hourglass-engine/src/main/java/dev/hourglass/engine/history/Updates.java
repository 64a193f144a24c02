package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hourglass.common.DeadlineExceededException;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.NotFoundException;
import dev.hourglass.common.WorkflowBusyException;
import io.temporal.api.command.v1.Command;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionUpdateAcceptedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionUpdateCompletedEventAttributes;
import io.temporal.api.protocol.v1.Message;
import io.temporal.api.update.v1.Acceptance;
import io.temporal.api.update.v1.Outcome;
import io.temporal.api.update.v1.Rejection;
import io.temporal.api.update.v1.Request;
import io.temporal.api.update.v1.Response;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Workflow Update (UpdateWorkflowExecution, PollWorkflowExecutionUpdate) and its protocol
 * messages in workflow tasks.
 *
 * <p>An update is <em>admitted</em> in memory only, as in Temporal: it is delivered to the worker
 * as a {@code Request} message in the next workflow task (a speculative one when none is pending,
 * whose events are written only if the worker does more than reject). The worker's
 * {@code Acceptance} and {@code Response} messages, referenced by protocol message commands,
 * become UpdateAccepted/UpdateCompleted events in the completion's transaction: from then on the
 * update is durable and its id is remembered in the mutable state, so a repeated request gets the
 * same outcome. A {@code Rejection} writes nothing. Waiting callers are futures completed after
 * the commit; no thread waits.
 */
final class Updates {
  /** The stage an update reached and, once completed, its outcome. */
  record Status(UpdateWorkflowExecutionLifecycleStage stage, Outcome outcome) {
    static Status admitted() {
      return new Status(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED, null);
    }

    static Status accepted() {
      return new Status(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED, null);
    }

    static Status completed(Outcome outcome) {
      return new Status(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED, outcome);
    }
  }

  /**
   * How long a caller waits for its stage. Past a server-side timeout the caller gets the stage
   * reached so far (the SDK asks again); past the client's own deadline, DEADLINE_EXCEEDED.
   */
  record Wait(UpdateWorkflowExecutionLifecycleStage stage, long timeoutMillis, boolean clientDeadline) {}

  /** Temporal's failure for an accepted update whose workflow closed before the update completed. */
  static final Failure ACCEPTED_UPDATE_COMPLETED_WORKFLOW = serverFailure(
      "Workflow Update failed because the Workflow completed before the Update completed.", "AcceptedUpdateCompletedWorkflow");
  /** Temporal's rejection of an update the worker did not answer in the task that carried it. */
  static final Failure UNPROCESSED_UPDATE = serverFailure("Workflow Update is rejected because it wasn't processed by worker. "
      + "Probably, Workflow Update is not supported by the worker.", "UnprocessedUpdate");

  private static final UpdateWorkflowExecutionLifecycleStage COMPLETED =
      UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
  private static final UpdateWorkflowExecutionLifecycleStage ACCEPTED =
      UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED;
  /** Temporal fails updates fast while the workflow task keeps failing. */
  private static final int FAILING_TASK_ATTEMPT = 3;

  private record Waiter(UpdateWorkflowExecutionLifecycleStage stage, CompletableFuture<Status> result) {}

  /** An update this process knows in memory: admitted and not yet accepted, or accepted with callers waiting. */
  private static final class Tracked {
    /** The client's request while the update is admitted; null once accepted. */
    Request request;
    volatile boolean accepted;
    /** The workflow task that carried the request to a worker; 0 if not delivered yet. */
    long sentWithTaskId;
    final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    Tracked(Request request, boolean accepted) {
      this.request = request;
      this.accepted = accepted;
    }
  }

  /** What a caller found under the lock: a status now, an outcome to read from history, or a wait. */
  private record Found(Status status, long completedEventId) {
    static final Found WAITING = new Found(null, 0);
  }

  private final ExecutionUpdater updater;
  private final HistoryReader reader;
  private final WorkflowTasks workflowTasks;
  private final ScheduledExecutorService scheduler;
  /** Per execution, by update id, in admission order. Changed only under the execution's lock. */
  private final Map<ExecutionKey, Map<String, Tracked>> tracked = new ConcurrentHashMap<>();

  Updates(ExecutionUpdater updater, HistoryReader reader, WorkflowTasks workflowTasks, ScheduledExecutorService scheduler) {
    this.updater = requireNonNull(updater, "updater is null");
    this.reader = requireNonNull(reader, "reader is null");
    this.workflowTasks = requireNonNull(workflowTasks, "workflowTasks is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
  }

  private static Failure serverFailure(String message, String type) {
    return Failure.newBuilder().setMessage(message).setSource("Server")
        .setApplicationFailureInfo(ApplicationFailureInfo.newBuilder().setType(type).setNonRetryable(true)).build();
  }

  // ---- clients ----

  /** UpdateWorkflowExecution: admits the update (or finds it by id) and waits for the stage asked for. */
  CompletableFuture<Status> update(ExecutionKey key, String firstExecutionRunId, Request request, Wait wait) {
    String updateId = request.getMeta().getUpdateId();
    CompletableFuture<Status> result = new CompletableFuture<>();
    Found found;
    try {
      found = updater.update(key, mutation -> {
        MutableState state = mutation.state();
        if (!firstExecutionRunId.isEmpty() && !firstExecutionRunId.equals(state.startedAttributes.getFirstExecutionRunId())) {
          throw new NotFoundException("workflow execution not found");
        }
        Found durable = durable(key, state, updateId, wait.stage(), result);
        if (durable != null) {
          return durable;
        }
        if (!state.running()) {
          throw new NotFoundException("workflow execution already completed");
        }
        if (state.workflowTask != null && state.workflowTask.attempt >= FAILING_TASK_ATTEMPT) {
          throw new FailedPreconditionException("Unable to perform workflow execution update due to Workflow Task in failed state.");
        }
        track(key, updateId, request, false, wait.stage(), result);
        // While the first workflow task waits out a backoff (start delay, retry, cron), the update
        // waits for that task: a speculative one would start the workflow early.
        if (state.workflowTask == null && !FirstWorkflowTaskBackoff.waiting(state)) {
          workflowTasks.scheduleSpeculative(mutation);
        }
        return Found.WAITING;
      });
    } catch (RuntimeException e) {
      forgetWaiter(key, updateId, result);
      // An admission whose change did not commit must not linger without a workflow task to carry it.
      Map<String, Tracked> entries = tracked.get(key);
      if (entries != null) {
        synchronized (entries) {
          entries.computeIfPresent(updateId, (id, entry) ->
              entry.request == request && entry.sentWithTaskId == 0 && entry.waiters.isEmpty() ? null : entry);
        }
      }
      throw e;
    }
    return answer(key, updateId, found, result, wait);
  }

  /**
   * Update-with-start whose start creates a run: the update is admitted once the start commits, before the
   * run's first workflow task is handed out, so that task carries it (Temporal writes the admission with the
   * start). Otherwise a fast worker could take the first task without it, and a workflow that completes in
   * that task would abort the update.
   */
  final class AdmissionWithStart {
    private final Request request;
    private final Wait wait;
    private final CompletableFuture<Status> result = new CompletableFuture<>();
    private ExecutionKey admittedTo;

    private AdmissionWithStart(Request request, Wait wait) {
      this.request = requireNonNull(request, "request is null");
      this.wait = requireNonNull(wait, "wait is null");
    }

    /** Called with the new run's first change. */
    void admitTo(ExecutionMutation newRun) {
      ExecutionKey key = newRun.executionKey();
      newRun.afterCommit(() -> {
        track(key, request.getMeta().getUpdateId(), request, false, wait.stage(), result);
        admittedTo = key;
      });
    }

    /** The update's stage as asked for, once the run it was admitted to started; empty if no run was started. */
    java.util.Optional<CompletableFuture<Status>> status() {
      return admittedTo == null ? java.util.Optional.empty()
          : java.util.Optional.of(answer(admittedTo, request.getMeta().getUpdateId(), Found.WAITING, result, wait));
    }
  }

  AdmissionWithStart admissionWithStart(Request request, Wait wait) {
    return new AdmissionWithStart(request, wait);
  }

  /** PollWorkflowExecutionUpdate: the stage of an update this server knows, waiting for the one asked for. */
  CompletableFuture<Status> poll(ExecutionKey key, String updateId, Wait wait) {
    CompletableFuture<Status> result = new CompletableFuture<>();
    Found found = updater.read(key, state -> {
      Found durable = durable(key, state, updateId, wait.stage(), result);
      if (durable != null) {
        return durable;
      }
      Tracked entry = find(key, updateId);
      if (entry == null || !state.running()) {
        throw new NotFoundException(state.running() ? "update " + updateId + " not found"
            : "workflow execution already completed");
      }
      if (wait.stage() != ACCEPTED && wait.stage() != COMPLETED) {
        return new Found(Status.admitted(), 0);
      }
      track(key, updateId, entry.request, false, wait.stage(), result);
      return Found.WAITING;
    });
    return answer(key, updateId, found, result, wait);
  }

  /** The update's durable state, if it was accepted; registers {@code result} if it must wait for completion. */
  private Found durable(ExecutionKey key, MutableState state, String updateId, UpdateWorkflowExecutionLifecycleStage stage,
      CompletableFuture<Status> result) {
    UpdateInfo info = state.updates.get(updateId);
    if (info == null) {
      return null;
    }
    if (info.completed()) {
      return new Found(null, info.completedEventId);
    }
    if (!state.running()) {
      return new Found(Status.completed(Outcome.newBuilder().setFailure(ACCEPTED_UPDATE_COMPLETED_WORKFLOW).build()), 0);
    }
    if (stage != COMPLETED) {
      return new Found(Status.accepted(), 0);
    }
    track(key, updateId, null, true, stage, result);
    return Found.WAITING;
  }

  private static void addWaiter(Tracked entry, UpdateWorkflowExecutionLifecycleStage stage, CompletableFuture<Status> result) {
    if (entry.waiters.stream().noneMatch(waiter -> waiter.result() == result)) {
      entry.waiters.add(new Waiter(stage, result));
    }
  }

  private CompletableFuture<Status> answer(ExecutionKey key, String updateId, Found found, CompletableFuture<Status> result, Wait wait) {
    if (found.status() != null) {
      forgetWaiter(key, updateId, result);
      return CompletableFuture.completedFuture(found.status());
    }
    if (found.completedEventId() != 0) {
      forgetWaiter(key, updateId, result);
      HistoryEvent completed = reader.readEvents(key, found.completedEventId(), found.completedEventId(), 1).get(0);
      return CompletableFuture.completedFuture(Status.completed(completed.getWorkflowExecutionUpdateCompletedEventAttributes().getOutcome()));
    }
    ScheduledFuture<?> expiry = scheduler.schedule(() -> expire(key, updateId, result, wait), wait.timeoutMillis(), TimeUnit.MILLISECONDS);
    result.whenComplete((status, error) -> {
      expiry.cancel(false);
      forgetWaiter(key, updateId, result);
    });
    return result;
  }

  private void expire(ExecutionKey key, String updateId, CompletableFuture<Status> result, Wait wait) {
    if (wait.clientDeadline()) {
      result.completeExceptionally(new DeadlineExceededException("workflow update " + updateId + " did not reach stage "
          + wait.stage() + " before the deadline"));
      return;
    }
    Tracked entry = find(key, updateId);
    result.complete(entry != null && entry.accepted ? Status.accepted() : Status.admitted());
  }

  private void forgetWaiter(ExecutionKey key, String updateId, CompletableFuture<Status> result) {
    Map<String, Tracked> entries = tracked.get(key);
    if (entries == null) {
      return;
    }
    synchronized (entries) {
      Tracked entry = entries.get(updateId);
      if (entry != null) {
        entry.waiters.removeIf(waiter -> waiter.result() == result);
        if (entry.request == null && entry.waiters.isEmpty()) {
          // Tracked only for its callers (an accepted update): the mutable state remembers it.
          entries.remove(updateId);
        }
      }
    }
  }

  /** The update's entry, created if needed, with {@code result} waiting on it: one step, so a caller leaving meanwhile cannot orphan it. */
  private Tracked track(ExecutionKey key, String updateId, Request request, boolean accepted, UpdateWorkflowExecutionLifecycleStage stage,
      CompletableFuture<Status> result) {
    Map<String, Tracked> entries = entries(key);
    synchronized (entries) {
      Tracked entry = entries.computeIfAbsent(updateId, id -> new Tracked(request, accepted));
      addWaiter(entry, stage, result);
      return entry;
    }
  }

  private Map<String, Tracked> entries(ExecutionKey key) {
    return tracked.computeIfAbsent(key, k -> java.util.Collections.synchronizedMap(new LinkedHashMap<>()));
  }

  // ---- workflow tasks ----

  /** Under the lock, when a workflow task starts: the Request messages of every admitted update, oldest first. */
  List<Message> deliver(ExecutionKey key, WorkflowTaskInfo task) {
    Map<String, Tracked> entries = tracked.get(key);
    if (entries == null) {
      return List.of();
    }
    List<Message> messages = new ArrayList<>();
    synchronized (entries) {
      entries.forEach((updateId, entry) -> {
        if (entry.request != null && !entry.accepted) {
          entry.sentWithTaskId = task.taskId;
          // Temporal sequences update requests right before the task's started event.
          messages.add(Message.newBuilder()
              .setId(updateId + "/request")
              .setProtocolInstanceId(updateId)
              .setEventId(task.startedEventId - 1)
              .setBody(Any.pack(entry.request))
              .build());
        }
      });
    }
    return messages;
  }

  /**
   * Checks the worker's messages before anything is written: each one an update message about an
   * update this server delivered or accepted, each protocol message command naming one of them.
   * Returns them by message id.
   */
  Map<String, Message> validate(ExecutionKey key, MutableState state, RespondWorkflowTaskCompletedRequest request) {
    Map<String, Message> byId = new LinkedHashMap<>();
    Set<String> acceptedHere = new HashSet<>();
    for (Message message : request.getMessagesList()) {
      String updateId = message.getProtocolInstanceId();
      Any body = message.getBody();
      if (body.is(Acceptance.class)) {
        if (state.updates.containsKey(updateId) || !acceptedHere.add(updateId)) {
          throw new InvalidArgumentException("Already accepted update with Id " + updateId + ".");
        }
        if (!unpack(body, Acceptance.class).hasAcceptedRequest() && admitted(key, updateId) == null) {
          throw new InvalidArgumentException("Acceptance of unknown update " + updateId + " carries no accepted_request.");
        }
      } else if (body.is(Response.class)) {
        Response response = unpack(body, Response.class);
        UpdateInfo info = state.updates.get(updateId);
        if ((info == null || info.completed()) && !acceptedHere.contains(updateId)) {
          throw new InvalidArgumentException("Response for update " + updateId + " which is not accepted or already completed.");
        }
        if (!response.hasOutcome() || !response.getMeta().getUpdateId().equals(updateId)) {
          throw new InvalidArgumentException("invalid Response message for update " + updateId + ": outcome or meta.update_id not set.");
        }
      } else if (!body.is(Rejection.class)) {
        throw new InvalidArgumentException("Unknown message type " + body.getTypeUrl() + " for protocol instance " + updateId + ".");
      }
      byId.put(message.getId(), message);
    }
    for (Command command : request.getCommandsList()) {
      if (command.getCommandType() == CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE
          && !byId.containsKey(command.getProtocolMessageCommandAttributes().getMessageId())) {
        throw new InvalidArgumentException("ProtocolMessageCommand referenced absent message ID "
            + command.getProtocolMessageCommandAttributes().getMessageId());
      }
    }
    return byId;
  }

  private Tracked find(ExecutionKey key, String updateId) {
    Map<String, Tracked> entries = tracked.get(key);
    return entries == null ? null : entries.get(updateId);
  }

  private Tracked admitted(ExecutionKey key, String updateId) {
    Tracked entry = find(key, updateId);
    return entry != null && entry.request != null ? entry : null;
  }

  /**
   * Whether a speculative task can be dropped without a trace, as Temporal does: the worker only
   * rejected updates, and nothing else happened in the workflow meanwhile.
   */
  static boolean discardable(MutableState state, RespondWorkflowTaskCompletedRequest request) {
    WorkflowTaskInfo task = state.workflowTask;
    return task.speculative && task.attempt == 1 && request.getCommandsCount() == 0 && state.bufferedEvents.isEmpty()
        && !request.getForceCreateNewWorkflowTask() && state.nextEventId == task.speculativeNextEventId
        && request.getMessagesList().stream().allMatch(message -> message.getBody().is(Rejection.class));
  }

  /** The protocol message a command names becomes its event: UpdateAccepted or UpdateCompleted. */
  void apply(ExecutionMutation mutation, Message message, long completedEventId) {
    MutableState state = mutation.state();
    ExecutionKey key = mutation.executionKey();
    String updateId = message.getProtocolInstanceId();
    if (message.getBody().is(Acceptance.class)) {
      Acceptance acceptance = unpack(message.getBody(), Acceptance.class);
      Tracked entry = admitted(key, updateId);
      Request request = entry != null ? entry.request : acceptance.getAcceptedRequest();
      HistoryEvent accepted = mutation.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, event ->
          event.setWorkflowExecutionUpdateAcceptedEventAttributes(WorkflowExecutionUpdateAcceptedEventAttributes.newBuilder()
              .setProtocolInstanceId(updateId)
              .setAcceptedRequestMessageId(acceptance.getAcceptedRequestMessageId())
              .setAcceptedRequestSequencingEventId(acceptance.getAcceptedRequestSequencingEventId())
              .setAcceptedRequest(request)));
      UpdateInfo info = new UpdateInfo();
      info.acceptedEventId = accepted.getEventId();
      info.reportsToNexus = !NexusOperations.refs(request.getCompletionCallbacksList()).isEmpty();
      state.updates.put(updateId, info);
    } else if (message.getBody().is(Response.class)) {
      Response response = unpack(message.getBody(), Response.class);
      UpdateInfo info = state.updates.get(updateId);
      HistoryEvent completed = mutation.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED, event ->
          event.setWorkflowExecutionUpdateCompletedEventAttributes(WorkflowExecutionUpdateCompletedEventAttributes.newBuilder()
              .setMeta(response.getMeta())
              .setAcceptedEventId(info.acceptedEventId)
              .setOutcome(response.getOutcome())));
      info.completedEventId = completed.getEventId();
      if (info.reportsToNexus) {
        mutation.addTransfer(TimerKind.NEXUS_COMPLETION_CALLBACK, info.completedEventId);
      }
    } else {
      reject(mutation, updateId, unpack(message.getBody(), Rejection.class).getFailure());
    }
  }

  /**
   * After the commands: rejections not named by a command, and updates the task carried that the
   * worker did not answer (rejected as unprocessed, as in Temporal). Returns whether admitted
   * updates still wait for a workflow task.
   */
  boolean afterCommands(ExecutionMutation mutation, WorkflowTaskInfo task, Map<String, Message> messages, List<Command> commands) {
    ExecutionKey key = mutation.executionKey();
    Set<String> named = new HashSet<>();
    for (Command command : commands) {
      if (command.getCommandType() == CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE) {
        named.add(command.getProtocolMessageCommandAttributes().getMessageId());
      }
    }
    Set<String> answered = new HashSet<>();
    messages.forEach((messageId, message) -> {
      answered.add(message.getProtocolInstanceId());
      if (!named.contains(messageId) && message.getBody().is(Rejection.class)) {
        reject(mutation, message.getProtocolInstanceId(), unpack(message.getBody(), Rejection.class).getFailure());
      }
    });
    Map<String, Tracked> entries = tracked.get(key);
    if (entries == null) {
      return false;
    }
    boolean waiting = false;
    synchronized (entries) {
      for (Map.Entry<String, Tracked> entry : entries.entrySet()) {
        Tracked update = entry.getValue();
        if (update.request == null || update.accepted || answered.contains(entry.getKey())) {
          continue;
        }
        if (update.sentWithTaskId == task.taskId) {
          reject(mutation, entry.getKey(), UNPROCESSED_UPDATE);
        } else {
          waiting = true;
        }
      }
    }
    return waiting;
  }

  /** A rejection writes nothing: its callers learn of it once the completion has committed. */
  private void reject(ExecutionMutation mutation, String updateId, Failure failure) {
    ExecutionKey key = mutation.executionKey();
    mutation.afterCommit(() -> {
      Tracked entry = find(key, updateId);
      if (entry != null && !entry.accepted) {
        tracked.get(key).remove(updateId);
        entry.waiters.forEach(waiter -> waiter.result().complete(Status.completed(Outcome.newBuilder().setFailure(failure).build())));
      }
    });
  }

  /** After each commit, under the execution's lock: tell waiting callers what the committed events mean for them. */
  void onCommitted(ExecutionMutation mutation) {
    Map<String, Tracked> entries = tracked.get(mutation.executionKey());
    if (entries == null) {
      return;
    }
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    List<String> acceptedIds = new ArrayList<>();
    for (HistoryEvent event : mutation.newEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
        acceptedIds.add(event.getWorkflowExecutionUpdateAcceptedEventAttributes().getProtocolInstanceId());
      } else if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) {
        var attributes = event.getWorkflowExecutionUpdateCompletedEventAttributes();
        outcomes.put(attributes.getMeta().getUpdateId(), attributes.getOutcome());
      }
    }
    for (String updateId : acceptedIds) {
      Tracked entry = entries.get(updateId);
      if (entry != null) {
        entry.accepted = true;
        entry.request = null;
        entry.waiters.stream().filter(waiter -> waiter.stage() != COMPLETED && !outcomes.containsKey(updateId))
            .forEach(waiter -> waiter.result().complete(Status.accepted()));
      }
    }
    outcomes.forEach((updateId, outcome) -> {
      Tracked entry = entries.remove(updateId);
      if (entry != null) {
        entry.waiters.forEach(waiter -> waiter.result().complete(Status.completed(outcome)));
      }
    });
    if (!mutation.state().running()) {
      abortAll(mutation.executionKey(), mutation.newRun() != null);
    }
    // Under the execution's lock, so no caller of this execution is about to use the map.
    tracked.computeIfPresent(mutation.executionKey(), (key, map) -> map.isEmpty() ? null : map);
  }

  /**
   * The workflow closed: accepted updates fail with Temporal's failure. Admitted ones get NOT_FOUND, or, when
   * the run goes on in a new one (continue-as-new, retry, cron), Temporal's retryable "workflow is closing"
   * (RESOURCE_EXHAUSTED, BUSY_WORKFLOW): the client asks again and the update lands on the new run.
   */
  private void abortAll(ExecutionKey key, boolean continuing) {
    Map<String, Tracked> entries = tracked.remove(key);
    if (entries == null) {
      return;
    }
    synchronized (entries) {
      entries.values().forEach(entry -> entry.waiters.forEach(waiter -> {
        if (entry.accepted) {
          waiter.result().complete(Status.completed(Outcome.newBuilder().setFailure(ACCEPTED_UPDATE_COMPLETED_WORKFLOW).build()));
        } else {
          waiter.result().completeExceptionally(continuing
              ? new WorkflowBusyException("workflow operation can not be applied because workflow is closing")
              : new NotFoundException("workflow update was aborted by closing workflow"));
        }
      }));
    }
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any body, Class<T> type) {
    try {
      return body.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidArgumentException("Malformed " + type.getSimpleName() + " message: " + e.getMessage());
    }
  }
}
