package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.common.ConditionFailedException;
import dev.hourglass.common.WorkflowAlreadyStartedException;
import dev.hourglass.common.WorkflowKey;
import dev.hourglass.store.CurrentExecution;
import dev.hourglass.store.ExecutionStore;
import io.temporal.api.command.v1.ContinueAsNewWorkflowExecutionCommandAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.history.v1.WorkflowExecutionContinuedAsNewEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * StartWorkflowExecution: decides from the current run of the workflow id (request-id dedupe,
 * id conflict and reuse policies) and creates the new run with its first workflow task.
 *
 * <p>Starts of one workflow id are serialized by a striped lock in this process; the store's
 * conditional write of the current-run row serializes them across processes.
 */
final class WorkflowStarter {
  /** Workflow task timeout: Temporal's default and maximum. */
  static final long DEFAULT_WORKFLOW_TASK_TIMEOUT_MILLIS = 10_000;
  static final long MAX_WORKFLOW_TASK_TIMEOUT_MILLIS = 120_000;
  private static final int LOCK_STRIPES = 256;

  private final ExecutionStore store;
  private final ExecutionUpdater updater;
  private final WorkflowTasks workflowTasks;
  private final Signals signals;
  private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];

  WorkflowStarter(ExecutionStore store, ExecutionUpdater updater, WorkflowTasks workflowTasks, Signals signals) {
    this.signals = requireNonNull(signals, "signals is null");
    this.store = requireNonNull(store, "store is null");
    this.updater = requireNonNull(updater, "updater is null");
    this.workflowTasks = requireNonNull(workflowTasks, "workflowTasks is null");
    for (int i = 0; i < LOCK_STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  StartWorkflowResult start(String namespaceId, StartWorkflowExecutionRequest request) {
    return start(namespaceId, request, Optional.empty());
  }

  /**
   * Starts the workflow; with a signal (SignalWithStart) a running workflow of that id is signalled
   * instead, and a new one gets the signal right after its started event.
   */
  StartWorkflowResult start(String namespaceId, StartWorkflowExecutionRequest request, Optional<Signals.Signal> signal) {
    return start(namespaceId, StartRequests.normalize(request), signal, Optional.empty(), NO_HOOK);
  }

  /**
   * Starts the workflow; {@code onNewRun} sees the new run's first change (only if a run is created), so that
   * something can be committed with the start (update-with-start's admission).
   */
  StartWorkflowResult start(String namespaceId, StartWorkflowExecutionRequest request, Consumer<ExecutionMutation> onNewRun) {
    return start(namespaceId, StartRequests.normalize(request), Optional.empty(), Optional.empty(), onNewRun);
  }

  private static final Consumer<ExecutionMutation> NO_HOOK = mutation -> { };

  /**
   * The parent of a child workflow, as its started event names it.
   *
   * @param root the first workflow of the parent chain (the parent's root, or the parent itself)
   */
  record ParentRef(String namespace, String namespaceId, WorkflowExecution execution, long initiatedEventId, WorkflowExecution root) {
    ParentRef {
      requireNonNull(namespace, "namespace is null");
      requireNonNull(namespaceId, "namespaceId is null");
      requireNonNull(execution, "execution is null");
      requireNonNull(root, "root is null");
    }
  }

  /** Starts a child workflow: a start whose run names its parent. */
  StartWorkflowResult startChild(String namespaceId, StartWorkflowExecutionRequest request, ParentRef parent) {
    return start(namespaceId, StartRequests.normalize(request), Optional.empty(), Optional.of(parent), NO_HOOK);
  }

  private StartWorkflowResult start(String namespaceId, StartWorkflowExecutionRequest request, Optional<Signals.Signal> signal,
      Optional<ParentRef> parent, Consumer<ExecutionMutation> onNewRun) {
    WorkflowKey workflow = new WorkflowKey(namespaceId, request.getWorkflowId());
    ReentrantLock lock = stripes[Math.floorMod(workflow.hashCode(), LOCK_STRIPES)];
    lock.lock();
    try {
      // Optimistic: most starts are of new workflow ids, which have no current-run row. Create
      // the run as if there were none; the store refuses it (nothing written) when there is one,
      // and only then is the current run read and the policies applied.
      Optional<CurrentExecution> current = Optional.empty();
      for (int attempt = 0; ; attempt++) {
        try {
          return startLocked(workflow, request, signal, parent, current, onNewRun);
        } catch (ConditionFailedException e) {
          if (attempt >= 3) {
            throw e;
          }
          current = store.getCurrentExecution(workflow);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private StartWorkflowResult startLocked(WorkflowKey workflow, StartWorkflowExecutionRequest request, Optional<Signals.Signal> signal,
      Optional<ParentRef> parent, Optional<CurrentExecution> current, Consumer<ExecutionMutation> onNewRun) {
    if (current.isPresent()) {
      CurrentExecution run = current.get();
      boolean running = run.status() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
      WorkflowIdConflictPolicy conflictPolicy = StartRequests.conflictPolicy(request, signal.isPresent());
      if (signal.isPresent() && running && conflictPolicy == WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING) {
        updater.update(new dev.hourglass.common.ExecutionKey(workflow.namespaceId(), workflow.workflowId(), run.runId()), mutation -> {
          // As in Temporal, a SignalWithStart does not wait for a first workflow task backoff (start delay).
          FirstWorkflowTaskBackoff.end(mutation);
          signals.signal(mutation, signal.get());
          return null;
        });
        return new StartWorkflowResult(run.runId(), false);
      }
      if (!request.getRequestId().isEmpty() && run.startRequestId().equals(request.getRequestId())) {
        return new StartWorkflowResult(run.runId(), false);
      }
      if (running) {
        switch (conflictPolicy) {
          case WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING -> {
            return useExisting(workflow, run, request);
          }
          case WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING -> {
            return terminateAndStart(workflow, run, request, signal, parent, onNewRun);
          }
          case WORKFLOW_ID_CONFLICT_POLICY_FAIL, WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED, UNRECOGNIZED ->
              throw new WorkflowAlreadyStartedException("Workflow execution is already running. WorkflowId: " + workflow.workflowId()
                  + ", RunId: " + run.runId() + ".", run.startRequestId(), run.runId());
        }
      }
      checkReusePolicy(request.getWorkflowIdReusePolicy(), run, workflow);
    }
    MutableState state = newState(workflow, request, parent);
    String runId = state.runId;
    Optional<String> expectedRunId = current.map(CurrentExecution::runId);
    updater.create(state, mutation -> {
      mutation.setCurrent(new CurrentExecution(workflow.namespaceId(), workflow.workflowId(), runId,
          WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE, state.startRequestId), expectedRunId);
      initializeRun(mutation, request, signal);
      onNewRun.accept(mutation);
      return null;
    });
    return new StartWorkflowResult(runId, true);
  }

  /**
   * USE_EXISTING: the running run answers. With {@code on_conflict_options} the request's id,
   * completion callbacks and links are attached to it (WorkflowExecutionOptionsUpdated), as
   * Temporal does, so that a Nexus operation that found its workflow running is told of its end.
   */
  private StartWorkflowResult useExisting(WorkflowKey workflow, CurrentExecution run, StartWorkflowExecutionRequest request) {
    var options = request.getOnConflictOptions();
    if (!request.hasOnConflictOptions()
        || !(options.getAttachRequestId() || options.getAttachCompletionCallbacks() || options.getAttachLinks())) {
      return new StartWorkflowResult(run.runId(), false);
    }
    boolean attached = updater.update(new dev.hourglass.common.ExecutionKey(workflow.namespaceId(), workflow.workflowId(), run.runId()),
        mutation -> {
          MutableState state = mutation.state();
          if (!state.running()) {
            return false;
          }
          var attributes = io.temporal.api.history.v1.WorkflowExecutionOptionsUpdatedEventAttributes.newBuilder();
          if (options.getAttachRequestId()) {
            attributes.setAttachedRequestId(request.getRequestId());
          }
          if (options.getAttachCompletionCallbacks()) {
            attributes.addAllAttachedCompletionCallbacks(request.getCompletionCallbacksList());
            state.attachedCompletionCallbacks.addAll(request.getCompletionCallbacksList());
          }
          // The workflow code need not see it (worker_may_ignore), so it schedules no workflow task.
          var event = mutation.unnumbered(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED,
              e -> e.setWorkflowExecutionOptionsUpdatedEventAttributes(attributes).setWorkerMayIgnore(true));
          if (options.getAttachLinks()) {
            event.addAllLinks(request.getLinksList());
          }
          if (state.workflowTask != null && state.workflowTask.started()) {
            state.bufferedEvents.add(event.build());
            mutation.touch();
          } else {
            mutation.appendBuilt(event);
          }
          return true;
        });
    if (!attached) {
      throw new ConditionFailedException("the running run of " + workflow.workflowId() + " closed meanwhile");
    }
    return new StartWorkflowResult(run.runId(), false, true);
  }

  /**
   * TERMINATE_EXISTING (or the reuse policy TERMINATE_IF_RUNNING): the running run is terminated
   * and the new one started in one transaction, so the workflow id never has two runs or none.
   * Both runs are on one shard (same workflow id). If the run closed meanwhile, the caller's loop
   * reads the current run again.
   */
  private StartWorkflowResult terminateAndStart(WorkflowKey workflow, CurrentExecution run, StartWorkflowExecutionRequest request,
      Optional<Signals.Signal> signal, Optional<ParentRef> parent, Consumer<ExecutionMutation> onNewRun) {
    MutableState state = newState(workflow, request, parent);
    boolean started = updater.update(new dev.hourglass.common.ExecutionKey(workflow.namespaceId(), workflow.workflowId(), run.runId()),
        mutation -> {
          if (!mutation.state().running()) {
            return false;
          }
          ExecutionMutation newRun = mutation.startUnrelatedRun(state);
          WorkflowCloser.terminate(mutation, workflowTasks, "TerminateIfRunning WorkflowIdReusePolicy",
              textPayload("terminated by new runID: " + state.runId), ChildWorkflows.SERVER_IDENTITY);
          mutation.setCurrent(new CurrentExecution(workflow.namespaceId(), workflow.workflowId(), state.runId,
              WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE, state.startRequestId), Optional.of(run.runId()));
          initializeRun(newRun, request, signal);
          onNewRun.accept(newRun);
          return true;
        });
    if (!started) {
      throw new ConditionFailedException("the running run of " + workflow.workflowId() + " closed meanwhile");
    }
    return new StartWorkflowResult(state.runId, true);
  }

  /**
   * The first events of a run: WorkflowExecutionStarted (with input and header, which the state
   * does not keep), the run timeout timer, and the first workflow task (after the signal, for
   * SignalWithStart) — or, when the run has a first workflow task backoff (retry, cron, start
   * delay), the timer that schedules it. The run timeout counts from the end of the backoff and
   * never passes the chain's execution timeout, as in Temporal.
   */
  private void initializeRun(ExecutionMutation mutation, StartWorkflowExecutionRequest request, Optional<Signals.Signal> signal) {
    MutableState state = mutation.state();
    long now = mutation.nowMillis();
    state.startedAttributes = StartRequests.firstRunAttributes(state.startedAttributes, request, now);
    WorkflowExecutionStartedEventAttributes attributes = state.startedAttributes;
    mutation.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, event -> {
      event.setWorkflowExecutionStartedEventAttributes(attributesWithInput(attributes, request));
      if (request.hasUserMetadata()) {
        event.setUserMetadata(request.getUserMetadata());
      }
    });
    state.userMetadata = request.hasUserMetadata() ? request.getUserMetadata() : null;
    state.startTimeMillis = now;
    long backoff = Durations.toMillis(attributes.getFirstWorkflowTaskBackoff());
    long runTimeout = Durations.toMillis(attributes.getWorkflowRunTimeout());
    if (runTimeout > 0) {
      long deadline = now + backoff + runTimeout;
      if (attributes.hasWorkflowExecutionExpirationTime()) {
        deadline = Math.min(deadline, Timestamps.toMillis(attributes.getWorkflowExecutionExpirationTime()));
      }
      state.runTimeoutTimerId = mutation.addTimer(deadline, TimerKind.WORKFLOW_RUN_TIMEOUT, 0, 0, "");
    }
    if (backoff > 0) {
      FirstWorkflowTaskBackoff.begin(mutation, backoff);
    }
    if (signal.isPresent()) {
      signals.signal(mutation, signal.get());
    } else if (backoff <= 0) {
      workflowTasks.schedule(mutation, 1);
    }
  }

  /**
   * Starts {@code next}, the next run of the chain, in the transaction of {@code mutation}, which
   * closes the previous run ({@code closePrevious}): the workflow id's current run moves to it, so
   * the chain can never break in a crash. The new run exists before the close event is written,
   * so that whatever the close does sees that the chain goes on.
   */
  void startNextRun(ExecutionMutation mutation, MutableState next, StartWorkflowExecutionRequest request, Runnable closePrevious) {
    MutableState state = mutation.state();
    ExecutionMutation newRun = mutation.startNewRun(next);
    closePrevious.run();
    mutation.setCurrent(new CurrentExecution(state.namespaceId, state.workflowId, next.runId,
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE, next.startRequestId), Optional.of(state.runId));
    initializeRun(newRun, request, Optional.empty());
  }

  /**
   * The ContinueAsNewWorkflowExecution command: closes this run as continued-as-new and starts the
   * next run of the workflow id in the same transaction, so the chain can never break in a crash.
   * Unset fields of the command are inherited from this run, as in Temporal.
   */
  void continueAsNew(ExecutionMutation mutation, ContinueAsNewWorkflowExecutionCommandAttributes command, long completedEventId,
      String identity) {
    MutableState state = mutation.state();
    StartWorkflowExecutionRequest request = NextRuns.continuedAsNew(state, command, identity);
    MutableState nextState = NextRuns.state(state, request, NextRuns.continuedAsNewLink(state, command));
    startNextRun(mutation, nextState, request, () -> WorkflowCloser.close(mutation, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, event -> {
          WorkflowExecutionContinuedAsNewEventAttributes.Builder attributes = WorkflowExecutionContinuedAsNewEventAttributes.newBuilder()
              .setNewExecutionRunId(nextState.runId)
              .setWorkflowType(request.getWorkflowType())
              .setTaskQueue(request.getTaskQueue())
              .setWorkflowRunTimeout(nextState.startedAttributes.getWorkflowRunTimeout())
              .setWorkflowTaskTimeout(nextState.startedAttributes.getWorkflowTaskTimeout())
              .setWorkflowTaskCompletedEventId(completedEventId)
              .setBackoffStartInterval(nextState.startedAttributes.getFirstWorkflowTaskBackoff())
              .setInitiator(nextState.startedAttributes.getInitiator());
          if (request.hasInput()) {
            attributes.setInput(request.getInput());
          }
          if (request.hasHeader()) {
            attributes.setHeader(request.getHeader());
          }
          if (command.hasFailure()) {
            attributes.setFailure(command.getFailure());
          }
          if (command.hasLastCompletionResult()) {
            attributes.setLastCompletionResult(command.getLastCompletionResult());
          }
          event.setWorkflowExecutionContinuedAsNewEventAttributes(attributes);
        }));
  }

  /** A later run of a chain (continue-as-new, retry, cron) still belongs to the first run's parent. */
  static void inheritParent(WorkflowExecutionStartedEventAttributes previous, WorkflowExecutionStartedEventAttributes.Builder next) {
    if (previous.hasParentWorkflowExecution()) {
      next.setParentWorkflowNamespace(previous.getParentWorkflowNamespace())
          .setParentWorkflowNamespaceId(previous.getParentWorkflowNamespaceId())
          .setParentWorkflowExecution(previous.getParentWorkflowExecution())
          .setParentInitiatedEventId(previous.getParentInitiatedEventId());
    }
    if (previous.hasRootWorkflowExecution()) {
      next.setRootWorkflowExecution(previous.getRootWorkflowExecution());
    }
    next.clearCompletionCallbacks().addAllCompletionCallbacks(previous.getCompletionCallbacksList());
  }

  private static void checkReusePolicy(WorkflowIdReusePolicy policy, CurrentExecution run, WorkflowKey workflow) {
    switch (policy) {
      case WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE -> throw new WorkflowAlreadyStartedException(
          "Workflow execution already finished. WorkflowId: " + workflow.workflowId() + ", RunId: " + run.runId()
              + ". Workflow Id reuse policy: reject duplicate workflow Id.", run.startRequestId(), run.runId());
      case WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY -> {
        if (run.status() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED_VALUE) {
          throw new WorkflowAlreadyStartedException("Workflow execution already finished successfully. WorkflowId: "
              + workflow.workflowId() + ", RunId: " + run.runId()
              + ". Workflow Id reuse policy: allow duplicate workflow Id if last run failed.", run.startRequestId(), run.runId());
        }
      }
      case WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED, WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
          WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING, UNRECOGNIZED -> {
        // the previous run is closed: a new one may start
      }
    }
  }

  /** A string as the SDKs' default data converter writes it (json/plain), readable by any client. */
  private static Payloads textPayload(String text) {
    String json = "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    return Payloads.newBuilder().addPayloads(Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))).build();
  }

  /** The state of a chain's first run, naming the parent of a child workflow. */
  private static MutableState newState(WorkflowKey workflow, StartWorkflowExecutionRequest request, Optional<ParentRef> parent) {
    MutableState state = newState(workflow, request);
    parent.ifPresent(ref -> state.startedAttributes = state.startedAttributes.toBuilder()
        .setParentWorkflowNamespace(ref.namespace())
        .setParentWorkflowNamespaceId(ref.namespaceId())
        .setParentWorkflowExecution(ref.execution())
        .setParentInitiatedEventId(ref.initiatedEventId())
        .setRootWorkflowExecution(ref.root())
        .build());
    return state;
  }

  /** The new run's state; the started event's attributes are kept without the input (it is in history). */
  static MutableState newState(WorkflowKey workflow, StartWorkflowExecutionRequest request) {
    MutableState state = new MutableState();
    state.namespaceId = workflow.namespaceId();
    state.workflowId = workflow.workflowId();
    state.runId = UUID.randomUUID().toString();
    state.startRequestId = request.getRequestId().isEmpty() ? UUID.randomUUID().toString() : request.getRequestId();
    long executionTimeout = Durations.toMillis(request.getWorkflowExecutionTimeout());
    long runTimeout = Durations.toMillis(request.getWorkflowRunTimeout());
    if (runTimeout == 0 || (executionTimeout > 0 && executionTimeout < runTimeout)) {
      runTimeout = executionTimeout;
    }
    long taskTimeout = Durations.toMillis(request.getWorkflowTaskTimeout());
    if (taskTimeout <= 0) {
      taskTimeout = DEFAULT_WORKFLOW_TASK_TIMEOUT_MILLIS;
    }
    taskTimeout = Math.min(taskTimeout, MAX_WORKFLOW_TASK_TIMEOUT_MILLIS);
    if (runTimeout > 0) {
      taskTimeout = Math.min(taskTimeout, runTimeout);
    }
    WorkflowExecutionStartedEventAttributes.Builder attributes = WorkflowExecutionStartedEventAttributes.newBuilder()
        .setWorkflowType(request.getWorkflowType())
        .setTaskQueue(request.getTaskQueue())
        .setWorkflowExecutionTimeout(Durations.fromMillis(executionTimeout))
        .setWorkflowRunTimeout(Durations.fromMillis(runTimeout))
        .setWorkflowTaskTimeout(Durations.fromMillis(taskTimeout))
        .setIdentity(request.getIdentity())
        .setOriginalExecutionRunId(state.runId)
        .setFirstExecutionRunId(state.runId)
        .setAttempt(1)
        .setWorkflowId(workflow.workflowId());
    if (request.hasMemo()) {
      attributes.setMemo(request.getMemo());
      state.memo = request.getMemo();
    }
    if (request.hasSearchAttributes()) {
      attributes.setSearchAttributes(request.getSearchAttributes());
      state.searchAttributes = request.getSearchAttributes();
    }
    if (request.hasRetryPolicy()) {
      attributes.setRetryPolicy(request.getRetryPolicy());
    }
    if (!request.getCronSchedule().isEmpty()) {
      attributes.setCronSchedule(request.getCronSchedule());
    }
    if (request.hasPriority()) {
      attributes.setPriority(request.getPriority());
    }
    // Nexus: whom to tell when the chain ends (see NexusOperations); the chain's later runs keep them.
    attributes.addAllCompletionCallbacks(request.getCompletionCallbacksList());
    state.startedAttributes = attributes.build();
    return state;
  }

  private static WorkflowExecutionStartedEventAttributes attributesWithInput(WorkflowExecutionStartedEventAttributes attributes,
      StartWorkflowExecutionRequest request) {
    WorkflowExecutionStartedEventAttributes.Builder builder = attributes.toBuilder();
    if (request.hasInput()) {
      builder.setInput(request.getInput());
    }
    if (request.hasHeader()) {
      builder.setHeader(request.getHeader());
    }
    return builder.build();
  }
}
