package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.NotFoundException;
import dev.hourglass.common.WorkflowKey;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.store.CurrentExecution;
import dev.hourglass.store.ExecutionStore;
import dev.hourglass.store.TimerRecord;
import io.temporal.api.command.v1.RequestCancelExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.SignalExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.CancelExternalWorkflowExecutionFailedCause;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.SignalExternalWorkflowExecutionFailedCause;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.ExternalWorkflowExecutionCancelRequestedEventAttributes;
import io.temporal.api.history.v1.ExternalWorkflowExecutionSignaledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.RequestCancelExternalWorkflowExecutionFailedEventAttributes;
import io.temporal.api.history.v1.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes;
import io.temporal.api.history.v1.SignalExternalWorkflowExecutionFailedEventAttributes;
import io.temporal.api.history.v1.SignalExternalWorkflowExecutionInitiatedEventAttributes;
import java.util.List;
import java.util.Optional;

/**
 * The SignalExternalWorkflowExecution and RequestCancelExternalWorkflowExecution commands. The
 * initiated event and a transfer task commit with the workflow task; the task delivers the signal
 * or cancel request to the target (with a request id naming the sender's run and initiated event,
 * so a retried delivery is applied once) and then records in the sender whether it arrived.
 */
final class ExternalRequests {
  /** Temporal's default limits of pending signals and cancel requests to other workflows. */
  static final int MAX_PENDING_SIGNALS = 2_000;
  static final int MAX_PENDING_CANCELS = 2_000;

  private final ExecutionStore store;
  private final ExecutionUpdater updater;
  private final WorkflowTasks workflowTasks;
  private final Signals signals;
  private final NamespaceRegistry namespaces;

  ExternalRequests(ExecutionStore store, ExecutionUpdater updater, WorkflowTasks workflowTasks, Signals signals,
      NamespaceRegistry namespaces) {
    this.store = requireNonNull(store, "store is null");
    this.updater = requireNonNull(updater, "updater is null");
    this.workflowTasks = requireNonNull(workflowTasks, "workflowTasks is null");
    this.signals = requireNonNull(signals, "signals is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
  }

  SignalExternalWorkflowExecutionCommandAttributes validate(MutableState state, SignalExternalWorkflowExecutionCommandAttributes command,
      int earlierInThisTask) {
    if (command.getExecution().getWorkflowId().isEmpty()) {
      throw new InvalidArgumentException("WorkflowId is not set on SignalExternalWorkflowExecution command.");
    }
    if (command.getSignalName().isEmpty()) {
      throw new InvalidArgumentException("SignalName is not set on SignalExternalWorkflowExecution command.");
    }
    if (pending(state, false) + earlierInThisTask >= MAX_PENDING_SIGNALS) {
      throw new LimitExceededException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_SIGNALS_LIMIT_EXCEEDED,
          "the number of pending signals to external workflows, " + MAX_PENDING_SIGNALS + ", has reached the per-workflow limit");
    }
    return command.getNamespace().isEmpty() ? command.toBuilder().setNamespace(namespaces.nameOf(state.namespaceId)).build() : command;
  }

  RequestCancelExternalWorkflowExecutionCommandAttributes validate(MutableState state,
      RequestCancelExternalWorkflowExecutionCommandAttributes command, int earlierInThisTask) {
    if (command.getWorkflowId().isEmpty()) {
      throw new InvalidArgumentException("WorkflowId is not set on RequestCancelExternalWorkflowExecution command.");
    }
    if (pending(state, true) + earlierInThisTask >= MAX_PENDING_CANCELS) {
      throw new LimitExceededException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_REQUEST_CANCEL_LIMIT_EXCEEDED,
          "the number of pending requests to cancel external workflows, " + MAX_PENDING_CANCELS + ", has reached the per-workflow limit");
    }
    return command.getNamespace().isEmpty() ? command.toBuilder().setNamespace(namespaces.nameOf(state.namespaceId)).build() : command;
  }

  private static long pending(MutableState state, boolean cancel) {
    return state.externalRequests.values().stream().filter(request -> request.cancel == cancel).count();
  }

  void initiateSignal(ExecutionMutation mutation, SignalExternalWorkflowExecutionCommandAttributes command, long completedEventId) {
    HistoryEvent initiated = mutation.append(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, event -> {
      SignalExternalWorkflowExecutionInitiatedEventAttributes.Builder attributes = SignalExternalWorkflowExecutionInitiatedEventAttributes
          .newBuilder()
          .setWorkflowTaskCompletedEventId(completedEventId)
          .setNamespace(command.getNamespace())
          .setWorkflowExecution(command.getExecution())
          .setSignalName(command.getSignalName())
          .setControl(command.getControl())
          .setChildWorkflowOnly(command.getChildWorkflowOnly());
      if (command.hasInput()) {
        attributes.setInput(command.getInput());
      }
      if (command.hasHeader()) {
        attributes.setHeader(command.getHeader());
      }
      event.setSignalExternalWorkflowExecutionInitiatedEventAttributes(attributes);
    });
    ExternalRequestInfo request = newRequest(mutation, initiated, command.getNamespace(), command.getExecution(),
        command.getChildWorkflowOnly(), command.getControl());
    request.signalName = command.getSignalName();
    request.input = command.hasInput() ? command.getInput() : null;
    request.header = command.hasHeader() ? command.getHeader() : null;
    request.taskId = mutation.addTransfer(TimerKind.SIGNAL_EXTERNAL_WORKFLOW, request.initiatedEventId);
  }

  void initiateCancel(ExecutionMutation mutation, RequestCancelExternalWorkflowExecutionCommandAttributes command, long completedEventId) {
    WorkflowExecution target = WorkflowExecution.newBuilder().setWorkflowId(command.getWorkflowId()).setRunId(command.getRunId()).build();
    HistoryEvent initiated = mutation.append(EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, event ->
        event.setRequestCancelExternalWorkflowExecutionInitiatedEventAttributes(
            RequestCancelExternalWorkflowExecutionInitiatedEventAttributes.newBuilder()
                .setWorkflowTaskCompletedEventId(completedEventId)
                .setNamespace(command.getNamespace())
                .setWorkflowExecution(target)
                .setControl(command.getControl())
                .setChildWorkflowOnly(command.getChildWorkflowOnly())
                .setReason(command.getReason())));
    ExternalRequestInfo request = newRequest(mutation, initiated, command.getNamespace(), target, command.getChildWorkflowOnly(),
        command.getControl());
    request.cancel = true;
    request.reason = command.getReason();
    request.taskId = mutation.addTransfer(TimerKind.CANCEL_EXTERNAL_WORKFLOW, request.initiatedEventId);
  }

  private static ExternalRequestInfo newRequest(ExecutionMutation mutation, HistoryEvent initiated, String namespace, WorkflowExecution target,
      boolean childWorkflowOnly, String control) {
    ExternalRequestInfo request = new ExternalRequestInfo();
    request.initiatedEventId = initiated.getEventId();
    request.namespace = namespace;
    request.workflowId = target.getWorkflowId();
    request.runId = target.getRunId();
    request.childWorkflowOnly = childWorkflowOnly;
    request.control = control;
    mutation.state().externalRequests.put(request.initiatedEventId, request);
    return request;
  }

  /** SIGNAL_EXTERNAL_WORKFLOW and CANCEL_EXTERNAL_WORKFLOW: deliver, then record the outcome in the sender. */
  void deliver(TimerRecord task) {
    ExecutionKey senderKey = task.execution();
    record Pending(ExternalRequestInfo request, WorkflowExecution sender) {}
    Pending pending = updater.readIfExists(senderKey, state -> {
      ExternalRequestInfo request = state.externalRequests.get(task.eventId());
      return !state.running() || request == null ? null
          : new Pending(request, WorkflowExecution.newBuilder().setWorkflowId(state.workflowId).setRunId(state.runId).build());
    });
    boolean delivered = pending != null && deliver(pending.request(), pending.sender());
    updater.updateIfExists(senderKey, mutation -> {
      mutation.deleteTimer(task.timerId());
      MutableState state = mutation.state();
      ExternalRequestInfo request = state.externalRequests.get(task.eventId());
      if (pending == null || !state.running() || request == null) {
        return;
      }
      state.externalRequests.remove(request.initiatedEventId);
      workflowTasks.appendExternal(mutation, List.of(outcomeEvent(mutation, request, delivered)));
    });
  }

  private boolean deliver(ExternalRequestInfo request, WorkflowExecution sender) {
    try {
      String namespaceId = namespaces.byName(request.namespace).id();
      String runId = request.runId;
      if (runId.isEmpty()) {
        Optional<CurrentExecution> current = store.getCurrentExecution(new WorkflowKey(namespaceId, request.workflowId));
        if (current.isEmpty()) {
          return false;
        }
        runId = current.get().runId();
      }
      String requestId = sender.getRunId() + "/" + request.initiatedEventId;
      updater.update(new ExecutionKey(namespaceId, request.workflowId, runId), mutation -> {
        MutableState target = mutation.state();
        if (request.childWorkflowOnly && !isChildOf(target, sender)) {
          throw new NotFoundException("the target is not a child of the sender");
        }
        if (request.cancel) {
          signals.requestCancel(mutation, request.reason, "", requestId, sender, request.initiatedEventId);
        } else {
          signals.signal(mutation, new Signals.Signal(request.signalName, request.input, request.header, "", requestId, sender));
        }
        return null;
      });
      return true;
    } catch (NotFoundException e) {
      // no such workflow (or namespace), or it is closed: Temporal reports the target not found
      return false;
    }
  }

  private static boolean isChildOf(MutableState target, WorkflowExecution sender) {
    WorkflowExecution parent = target.startedAttributes.getParentWorkflowExecution();
    return parent.getWorkflowId().equals(sender.getWorkflowId()) && parent.getRunId().equals(sender.getRunId());
  }

  private static HistoryEvent.Builder outcomeEvent(ExecutionMutation mutation, ExternalRequestInfo request, boolean delivered) {
    WorkflowExecution target = WorkflowExecution.newBuilder().setWorkflowId(request.workflowId).setRunId(request.runId).build();
    if (request.cancel) {
      return delivered
          ? mutation.unnumbered(EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED, event ->
              event.setExternalWorkflowExecutionCancelRequestedEventAttributes(ExternalWorkflowExecutionCancelRequestedEventAttributes.newBuilder()
                  .setInitiatedEventId(request.initiatedEventId)
                  .setNamespace(request.namespace)
                  .setWorkflowExecution(target)))
          : mutation.unnumbered(EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, event ->
              event.setRequestCancelExternalWorkflowExecutionFailedEventAttributes(
                  RequestCancelExternalWorkflowExecutionFailedEventAttributes.newBuilder()
                      .setCause(CancelExternalWorkflowExecutionFailedCause.CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND)
                      .setInitiatedEventId(request.initiatedEventId)
                      .setNamespace(request.namespace)
                      .setWorkflowExecution(target)
                      .setControl(request.control)));
    }
    return delivered
        ? mutation.unnumbered(EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED, event ->
            event.setExternalWorkflowExecutionSignaledEventAttributes(ExternalWorkflowExecutionSignaledEventAttributes.newBuilder()
                .setInitiatedEventId(request.initiatedEventId)
                .setNamespace(request.namespace)
                .setWorkflowExecution(target)
                .setControl(request.control)))
        : mutation.unnumbered(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, event ->
            event.setSignalExternalWorkflowExecutionFailedEventAttributes(SignalExternalWorkflowExecutionFailedEventAttributes.newBuilder()
                .setCause(SignalExternalWorkflowExecutionFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND)
                .setInitiatedEventId(request.initiatedEventId)
                .setNamespace(request.namespace)
                .setWorkflowExecution(target)
                .setControl(request.control)));
  }
}
