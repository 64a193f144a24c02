package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Durations;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.NamespaceNotFoundException;
import dev.hourglass.common.WorkflowAlreadyStartedException;
import dev.hourglass.common.WorkflowKey;
import dev.hourglass.engine.namespace.Namespace;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.store.CurrentExecution;
import dev.hourglass.store.ExecutionStore;
import dev.hourglass.store.TimerRecord;
import io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.StartChildWorkflowExecutionFailedCause;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.ChildWorkflowExecutionCanceledEventAttributes;
import io.temporal.api.history.v1.ChildWorkflowExecutionCompletedEventAttributes;
import io.temporal.api.history.v1.ChildWorkflowExecutionFailedEventAttributes;
import io.temporal.api.history.v1.ChildWorkflowExecutionStartedEventAttributes;
import io.temporal.api.history.v1.ChildWorkflowExecutionTerminatedEventAttributes;
import io.temporal.api.history.v1.ChildWorkflowExecutionTimedOutEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.StartChildWorkflowExecutionFailedEventAttributes;
import io.temporal.api.history.v1.StartChildWorkflowExecutionInitiatedEventAttributes;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Child workflows, seen from both sides. The parent's StartChildWorkflowExecution command writes
 * the initiated event and a transfer task in one transaction; the task starts the child (with a
 * request id derived from the parent run and the initiated event, so a retried task finds the
 * child it already started) and then records ChildWorkflowExecutionStarted in the parent. When the
 * child's chain ends (a close that starts no further run), its close writes a transfer task that
 * records the outcome in the parent. When the parent closes, each started child gets a transfer
 * task applying its parent close policy.
 *
 * <p>Every transfer step checks the state it acts on, so running one twice (after a crash between
 * its steps) changes nothing the second time. No step holds one execution's lock while taking
 * another's.
 */
final class ChildWorkflows {
  /** Temporal's default limit of pending child workflows per run. */
  static final int MAX_PENDING_CHILDREN = 2_000;
  /** Temporal's identity for changes the server makes on its own. */
  static final String SERVER_IDENTITY = "history-service";
  static final String PARENT_CLOSE_REASON = "by parent close policy";

  private final ExecutionStore store;
  private final ExecutionUpdater updater;
  private final WorkflowStarter starter;
  private final WorkflowTasks workflowTasks;
  private final Signals signals;
  private final HistoryReader reader;
  private final NamespaceRegistry namespaces;

  ChildWorkflows(ExecutionStore store, ExecutionUpdater updater, WorkflowStarter starter, WorkflowTasks workflowTasks, Signals signals,
      HistoryReader reader, NamespaceRegistry namespaces) {
    this.store = requireNonNull(store, "store is null");
    this.updater = requireNonNull(updater, "updater is null");
    this.starter = requireNonNull(starter, "starter is null");
    this.workflowTasks = requireNonNull(workflowTasks, "workflowTasks is null");
    this.signals = requireNonNull(signals, "signals is null");
    this.reader = requireNonNull(reader, "reader is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
  }

  // ---- the parent's command ----

  /** Checks the command and fills in Temporal's defaults (namespace and task queue of the parent). */
  StartChildWorkflowExecutionCommandAttributes validate(MutableState state, StartChildWorkflowExecutionCommandAttributes command,
      int startedInThisTask) {
    if (command.getWorkflowId().isEmpty()) {
      throw new InvalidArgumentException("WorkflowId is not set on StartChildWorkflowExecution command.");
    }
    if (command.getWorkflowId().length() > 1000) {
      throw new InvalidArgumentException("WorkflowId on StartChildWorkflowExecution command exceeds length limit of 1000.");
    }
    if (command.getWorkflowType().getName().isEmpty()) {
      throw new InvalidArgumentException("WorkflowType is not set on StartChildWorkflowExecution command.");
    }
    if (Durations.toMillis(command.getWorkflowExecutionTimeout()) < 0 || Durations.toMillis(command.getWorkflowRunTimeout()) < 0
        || Durations.toMillis(command.getWorkflowTaskTimeout()) < 0) {
      throw new InvalidArgumentException("A timeout on StartChildWorkflowExecution command is negative.");
    }
    if (state.children.size() + startedInThisTask >= MAX_PENDING_CHILDREN) {
      throw new LimitExceededException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_CHILD_WORKFLOWS_LIMIT_EXCEEDED,
          "the number of pending child workflow executions, " + MAX_PENDING_CHILDREN
          + ", has reached the per-workflow limit");
    }
    StartChildWorkflowExecutionCommandAttributes.Builder normalized = command.toBuilder();
    if (command.getNamespace().isEmpty()) {
      normalized.setNamespace(namespaces.nameOf(state.namespaceId));
    }
    if (command.getTaskQueue().getName().isEmpty()) {
      normalized.setTaskQueue(state.startedAttributes.getTaskQueue());
    }
    if (command.getParentClosePolicy() == ParentClosePolicy.PARENT_CLOSE_POLICY_UNSPECIFIED) {
      normalized.setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE);
    }
    return normalized.build();
  }

  /** StartChildWorkflowExecutionInitiated, and the transfer task that starts the child. */
  void initiate(ExecutionMutation mutation, StartChildWorkflowExecutionCommandAttributes command, long completedEventId,
      io.temporal.api.sdk.v1.UserMetadata userMetadata) {
    HistoryEvent initiated = mutation.append(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, event -> {
      StartChildWorkflowExecutionInitiatedEventAttributes.Builder attributes = StartChildWorkflowExecutionInitiatedEventAttributes.newBuilder()
          .setNamespace(command.getNamespace())
          .setWorkflowId(command.getWorkflowId())
          .setWorkflowType(command.getWorkflowType())
          .setTaskQueue(command.getTaskQueue())
          .setWorkflowExecutionTimeout(command.getWorkflowExecutionTimeout())
          .setWorkflowRunTimeout(command.getWorkflowRunTimeout())
          .setWorkflowTaskTimeout(command.getWorkflowTaskTimeout())
          .setParentClosePolicy(command.getParentClosePolicy())
          .setControl(command.getControl())
          .setWorkflowTaskCompletedEventId(completedEventId)
          .setWorkflowIdReusePolicy(command.getWorkflowIdReusePolicy())
          .setCronSchedule(command.getCronSchedule())
          .setInheritBuildId(command.getInheritBuildId());
      if (command.hasInput()) {
        attributes.setInput(command.getInput());
      }
      if (command.hasRetryPolicy()) {
        attributes.setRetryPolicy(command.getRetryPolicy());
      }
      if (command.hasHeader()) {
        attributes.setHeader(command.getHeader());
      }
      if (command.hasMemo()) {
        attributes.setMemo(command.getMemo());
      }
      if (command.hasSearchAttributes()) {
        attributes.setSearchAttributes(command.getSearchAttributes());
      }
      if (command.hasPriority()) {
        attributes.setPriority(command.getPriority());
      }
      event.setStartChildWorkflowExecutionInitiatedEventAttributes(attributes);
    });
    ChildInfo child = new ChildInfo();
    child.initiatedEventId = initiated.getEventId();
    child.namespace = command.getNamespace();
    child.workflowId = command.getWorkflowId();
    child.workflowType = command.getWorkflowType().getName();
    child.parentClosePolicy = command.getParentClosePolicyValue();
    child.startCommand = command;
    child.userMetadata = userMetadata;
    child.startTaskId = mutation.addTransfer(TimerKind.START_CHILD_WORKFLOW, child.initiatedEventId);
    mutation.state().children.put(child.initiatedEventId, child);
  }

  // ---- transfer tasks ----

  /** START_CHILD_WORKFLOW: start the child, then tell the parent it started (or could not). */
  void startChild(TimerRecord task) {
    ExecutionKey parentKey = task.execution();
    record Pending(StartChildWorkflowExecutionCommandAttributes command, io.temporal.api.sdk.v1.UserMetadata userMetadata,
        WorkflowStarter.ParentRef parent, io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes parentStarted) {}
    Pending pending = updater.readIfExists(parentKey, state -> {
      ChildInfo child = state.children.get(task.eventId());
      if (!state.running() || child == null || child.started() || child.startCommand == null) {
        return null;
      }
      WorkflowExecution self = WorkflowExecution.newBuilder().setWorkflowId(state.workflowId).setRunId(state.runId).build();
      WorkflowExecution root = state.startedAttributes.hasRootWorkflowExecution() ? state.startedAttributes.getRootWorkflowExecution() : self;
      return new Pending(child.startCommand, child.userMetadata, new WorkflowStarter.ParentRef(namespaces.nameOf(state.namespaceId), state.namespaceId,
          self, child.initiatedEventId, root), state.startedAttributes);
    });
    if (pending == null) {
      deleteTask(parentKey, task);
      return;
    }
    StartChildWorkflowExecutionCommandAttributes command = pending.command();
    Namespace namespace;
    try {
      namespace = namespaces.byName(command.getNamespace());
    } catch (NamespaceNotFoundException e) {
      recordStartFailed(parentKey, task, StartChildWorkflowExecutionFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_NAMESPACE_NOT_FOUND);
      return;
    }
    String runId;
    try {
      StartWorkflowExecutionRequest request = startRequest(parentKey, task.eventId(), command);
      if (pending.userMetadata() != null) {
        request = request.toBuilder().setUserMetadata(pending.userMetadata()).build();
      }
      if (pending.parentStarted().hasPriority() || command.hasPriority()) {
        request = request.toBuilder().setPriority(Priorities.merge(pending.parentStarted().getPriority(), command.getPriority())).build();
      }
      runId = starter.startChild(namespace.id(), request, pending.parent()).runId();
    } catch (WorkflowAlreadyStartedException e) {
      recordStartFailed(parentKey, task, StartChildWorkflowExecutionFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS);
      return;
    } catch (InvalidArgumentException e) {
      // The command passed the parent's checks but the start did not (a bad retry policy or cron):
      // Temporal fails the start the same way, with the only cause it has for it.
      recordStartFailed(parentKey, task, StartChildWorkflowExecutionFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_UNSPECIFIED);
      return;
    }
    updater.updateIfExists(parentKey, mutation -> {
      mutation.deleteTimer(task.timerId());
      MutableState state = mutation.state();
      ChildInfo child = state.children.get(task.eventId());
      if (!state.running() || child == null || child.started()) {
        return;
      }
      child.startTaskId = 0;
      workflowTasks.appendExternal(mutation, List.of(startedEvent(mutation, child, runId, command)));
    });
  }

  /** The child's start request: the request id names the parent run and initiated event, so a retried start is recognized. */
  private static StartWorkflowExecutionRequest startRequest(ExecutionKey parentKey, long initiatedEventId,
      StartChildWorkflowExecutionCommandAttributes command) {
    StartWorkflowExecutionRequest.Builder request = StartWorkflowExecutionRequest.newBuilder()
        .setNamespace(command.getNamespace())
        .setWorkflowId(command.getWorkflowId())
        .setWorkflowType(command.getWorkflowType())
        .setTaskQueue(command.getTaskQueue())
        .setWorkflowExecutionTimeout(command.getWorkflowExecutionTimeout())
        .setWorkflowRunTimeout(command.getWorkflowRunTimeout())
        .setWorkflowTaskTimeout(command.getWorkflowTaskTimeout())
        .setWorkflowIdReusePolicy(command.getWorkflowIdReusePolicy())
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setCronSchedule(command.getCronSchedule())
        .setRequestId(parentKey.runId() + "/" + initiatedEventId)
        .setIdentity(SERVER_IDENTITY);
    if (command.hasInput()) {
      request.setInput(command.getInput());
    }
    if (command.hasHeader()) {
      request.setHeader(command.getHeader());
    }
    if (command.hasMemo()) {
      request.setMemo(command.getMemo());
    }
    if (command.hasSearchAttributes()) {
      request.setSearchAttributes(command.getSearchAttributes());
    }
    if (command.hasRetryPolicy()) {
      request.setRetryPolicy(command.getRetryPolicy());
    }
    if (command.hasPriority()) {
      request.setPriority(command.getPriority());
    }
    return request.build();
  }

  private HistoryEvent.Builder startedEvent(ExecutionMutation mutation, ChildInfo child, String runId,
      StartChildWorkflowExecutionCommandAttributes command) {
    child.startedRunId = runId;
    child.startCommand = null;
    child.userMetadata = null;
    return mutation.unnumbered(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, event -> {
      ChildWorkflowExecutionStartedEventAttributes.Builder attributes = ChildWorkflowExecutionStartedEventAttributes.newBuilder()
          .setNamespace(child.namespace)
          .setInitiatedEventId(child.initiatedEventId)
          .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(child.workflowId).setRunId(runId))
          .setWorkflowType(WorkflowType.newBuilder().setName(child.workflowType));
      if (command != null && command.hasHeader()) {
        attributes.setHeader(command.getHeader());
      }
      event.setChildWorkflowExecutionStartedEventAttributes(attributes);
    });
  }

  private void recordStartFailed(ExecutionKey parentKey, TimerRecord task, StartChildWorkflowExecutionFailedCause cause) {
    updater.updateIfExists(parentKey, mutation -> {
      mutation.deleteTimer(task.timerId());
      MutableState state = mutation.state();
      ChildInfo child = state.children.get(task.eventId());
      if (!state.running() || child == null || child.started()) {
        return;
      }
      state.children.remove(child.initiatedEventId);
      workflowTasks.appendExternal(mutation, List.of(mutation.unnumbered(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED,
          event -> event.setStartChildWorkflowExecutionFailedEventAttributes(StartChildWorkflowExecutionFailedEventAttributes.newBuilder()
              .setNamespace(child.namespace)
              .setWorkflowId(child.workflowId)
              .setWorkflowType(WorkflowType.newBuilder().setName(child.workflowType))
              .setCause(cause)
              .setInitiatedEventId(child.initiatedEventId)))));
    });
  }

  /** RECORD_CHILD_COMPLETION, on the child: its chain ended; the parent gets the outcome. */
  void recordCompletion(TimerRecord task) {
    ExecutionKey childKey = task.execution();
    record Closed(ExecutionKey parentKey, long initiatedEventId, String firstRunId, long closeEventId) {}
    Closed closed = updater.readIfExists(childKey, state -> {
      if (state.running() || !state.hasParent()) {
        return null;
      }
      var started = state.startedAttributes;
      ExecutionKey parentKey = new ExecutionKey(started.getParentWorkflowNamespaceId(), started.getParentWorkflowExecution().getWorkflowId(),
          started.getParentWorkflowExecution().getRunId());
      return new Closed(parentKey, started.getParentInitiatedEventId(), started.getFirstExecutionRunId(), state.closeEventId);
    });
    if (closed != null) {
      List<HistoryEvent> events = reader.readEvents(childKey, closed.closeEventId(), closed.closeEventId(), 1);
      if (events.isEmpty()) {
        throw new IllegalStateException("close event " + closed.closeEventId() + " of " + childKey + " is missing");
      }
      HistoryEvent closeEvent = events.get(0);
      updater.updateIfExists(closed.parentKey(), mutation -> {
        MutableState state = mutation.state();
        ChildInfo child = state.children.get(closed.initiatedEventId());
        if (!state.running() || child == null || !child.workflowId.equals(childKey.workflowId())) {
          return;
        }
        List<HistoryEvent.Builder> outcome = new ArrayList<>(2);
        long startedEventId = child.startedEventId;
        if (!child.started()) {
          // The child finished before its start was recorded here: record both, in order.
          mutation.deleteTimer(child.startTaskId);
          child.startTaskId = 0;
          outcome.add(startedEvent(mutation, child, closed.firstRunId(), child.startCommand));
        }
        if (startedEventId == 0) {
          startedEventId = WorkflowTasks.STARTED_EVENT_ID_OF_CHILD;
        }
        state.children.remove(child.initiatedEventId);
        outcome.add(closedEvent(mutation, child, startedEventId, childKey, closeEvent));
        workflowTasks.appendExternal(mutation, outcome);
      });
    }
    deleteTask(childKey, task);
  }

  /** The parent's event for the child's close event. */
  private static HistoryEvent.Builder closedEvent(ExecutionMutation mutation, ChildInfo child, long startedEventId, ExecutionKey childKey,
      HistoryEvent close) {
    WorkflowExecution execution = WorkflowExecution.newBuilder().setWorkflowId(childKey.workflowId()).setRunId(childKey.runId()).build();
    WorkflowType type = WorkflowType.newBuilder().setName(child.workflowType).build();
    return switch (close.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> mutation.unnumbered(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
          event -> event.setChildWorkflowExecutionCompletedEventAttributes(ChildWorkflowExecutionCompletedEventAttributes.newBuilder()
              .setNamespace(child.namespace).setWorkflowExecution(execution).setWorkflowType(type)
              .setInitiatedEventId(child.initiatedEventId).setStartedEventId(startedEventId)
              .setResult(close.getWorkflowExecutionCompletedEventAttributes().getResult())));
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> mutation.unnumbered(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
          event -> event.setChildWorkflowExecutionFailedEventAttributes(ChildWorkflowExecutionFailedEventAttributes.newBuilder()
              .setNamespace(child.namespace).setWorkflowExecution(execution).setWorkflowType(type)
              .setInitiatedEventId(child.initiatedEventId).setStartedEventId(startedEventId)
              .setFailure(close.getWorkflowExecutionFailedEventAttributes().getFailure())
              .setRetryState(close.getWorkflowExecutionFailedEventAttributes().getRetryState())));
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> mutation.unnumbered(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED,
          event -> event.setChildWorkflowExecutionCanceledEventAttributes(ChildWorkflowExecutionCanceledEventAttributes.newBuilder()
              .setNamespace(child.namespace).setWorkflowExecution(execution).setWorkflowType(type)
              .setInitiatedEventId(child.initiatedEventId).setStartedEventId(startedEventId)
              .setDetails(close.getWorkflowExecutionCanceledEventAttributes().getDetails())));
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> mutation.unnumbered(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT,
          event -> event.setChildWorkflowExecutionTimedOutEventAttributes(ChildWorkflowExecutionTimedOutEventAttributes.newBuilder()
              .setNamespace(child.namespace).setWorkflowExecution(execution).setWorkflowType(type)
              .setInitiatedEventId(child.initiatedEventId).setStartedEventId(startedEventId)
              .setRetryState(close.getWorkflowExecutionTimedOutEventAttributes().getRetryState())));
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> mutation.unnumbered(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED,
          event -> event.setChildWorkflowExecutionTerminatedEventAttributes(ChildWorkflowExecutionTerminatedEventAttributes.newBuilder()
              .setNamespace(child.namespace).setWorkflowExecution(execution).setWorkflowType(type)
              .setInitiatedEventId(child.initiatedEventId).setStartedEventId(startedEventId)));
      default -> throw new IllegalStateException("not a close event that ends a chain: " + close.getEventType());
    };
  }

  /** APPLY_PARENT_CLOSE_POLICY, on the closed parent: terminate or cancel the child's current run of its chain. */
  void applyParentClosePolicy(TimerRecord task) {
    ExecutionKey parentKey = task.execution();
    record Target(ChildInfo child, WorkflowExecution parent) {}
    Target target = updater.readIfExists(parentKey, state -> {
      ChildInfo child = state.children.get(task.eventId());
      return child == null || !child.started() ? null
          : new Target(child, WorkflowExecution.newBuilder().setWorkflowId(state.workflowId).setRunId(state.runId).build());
    });
    if (target != null) {
      ChildInfo child = target.child();
      try {
        String namespaceId = namespaces.byName(child.namespace).id();
        Optional<CurrentExecution> current = store.getCurrentExecution(new WorkflowKey(namespaceId, child.workflowId));
        if (current.isPresent()) {
          updater.updateIfExists(new ExecutionKey(namespaceId, child.workflowId, current.get().runId()), mutation -> {
            MutableState state = mutation.state();
            if (!state.running() || !state.startedAttributes.getFirstExecutionRunId().equals(child.startedRunId)) {
              return; // the child's chain is over, or the id now names another workflow
            }
            if (child.parentClosePolicy == ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL_VALUE) {
              signals.requestCancel(mutation, PARENT_CLOSE_REASON, SERVER_IDENTITY, "", target.parent(), 0);
            } else {
              WorkflowCloser.terminate(mutation, workflowTasks, PARENT_CLOSE_REASON, null, SERVER_IDENTITY);
            }
          });
        }
      } catch (NamespaceNotFoundException e) {
        // the child's namespace is gone, and the child with it
      }
    }
    deleteTask(parentKey, task);
  }

  /** Before a closing change commits: the parent learns the outcome; the children get their close policy. */
  void onRunClosed(ExecutionMutation mutation) {
    MutableState state = mutation.state();
    if (state.hasParent() && !mutation.continuesChain()) {
      mutation.addTransfer(TimerKind.RECORD_CHILD_COMPLETION, state.closeEventId);
    }
    for (ChildInfo child : state.children.values()) {
      if (!child.started()) {
        // Not started yet: it never will be, its parent is gone. The start request (its input may
        // be large) would only weigh on the closed run's state; the entry itself stays, as
        // Temporal's describe still lists the child as pending.
        mutation.deleteTimer(child.startTaskId);
        child.startTaskId = 0;
        child.startCommand = null;
        child.userMetadata = null;
      } else if (child.parentClosePolicy != ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON_VALUE) {
        mutation.addTransfer(TimerKind.APPLY_PARENT_CLOSE_POLICY, child.initiatedEventId);
      }
    }
  }

  /** The transfer task is done: delete its row with a change of the execution that owns it. */
  void deleteTask(ExecutionKey owner, TimerRecord task) {
    updater.updateIfExists(owner, mutation -> mutation.deleteTimer(task.timerId()));
  }
}
