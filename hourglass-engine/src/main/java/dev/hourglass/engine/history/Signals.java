package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.NotFoundException;
import io.temporal.api.common.v1.Header;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.WorkflowExecutionCancelRequestedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionSignaledEventAttributes;
import java.util.Iterator;
import java.util.List;

/**
 * Signals and cancellation requests from clients: events from outside the workflow, appended
 * (or buffered while a workflow task runs) with a workflow task to deliver them, in arrival order.
 * A retried request (same request id) is applied once.
 */
final class Signals {
  /** Signal request ids remembered per run: Temporal's default limit on signals per execution. */
  static final int MAX_REMEMBERED_REQUEST_IDS = 10_000;

  private final WorkflowTasks workflowTasks;

  Signals(WorkflowTasks workflowTasks) {
    this.workflowTasks = requireNonNull(workflowTasks, "workflowTasks is null");
  }

  /**
   * A signal to be applied with a workflow's arguments.
   *
   * @param externalExecution the workflow that sent it with a SignalExternalWorkflowExecution
   *     command; null when a client sent it
   */
  record Signal(String name, Payloads input, Header header, String identity, String requestId, WorkflowExecution externalExecution,
      List<io.temporal.api.common.v1.Link> links) {
    Signal {
      requireNonNull(name, "name is null");
      requireNonNull(identity, "identity is null");
      requireNonNull(requestId, "requestId is null");
      links = List.copyOf(links);
    }

    Signal(String name, Payloads input, Header header, String identity, String requestId, WorkflowExecution externalExecution) {
      this(name, input, header, identity, requestId, externalExecution, List.of());
    }
  }

  void signal(ExecutionMutation mutation, Signal signal) {
    MutableState state = mutation.state();
    if (!state.running()) {
      throw new NotFoundException("workflow execution already completed");
    }
    if (!signal.requestId().isEmpty() && !state.signalRequestIds.add(signal.requestId())) {
      return;
    }
    trimRequestIds(state);
    workflowTasks.appendExternal(mutation, List.of(mutation.unnumbered(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, event -> {
      WorkflowExecutionSignaledEventAttributes.Builder attributes = WorkflowExecutionSignaledEventAttributes.newBuilder()
          .setSignalName(signal.name())
          .setIdentity(signal.identity());
      if (signal.input() != null) {
        attributes.setInput(signal.input());
      }
      if (signal.header() != null) {
        attributes.setHeader(signal.header());
      }
      if (signal.externalExecution() != null) {
        attributes.setExternalWorkflowExecution(signal.externalExecution());
      }
      event.setWorkflowExecutionSignaledEventAttributes(attributes);
      // Links from the sender (a Nexus operation that signals) point back to it, as in Temporal.
      event.addAllLinks(signal.links());
    })));
  }

  void requestCancel(ExecutionMutation mutation, String reason, String identity, String requestId) {
    requestCancel(mutation, reason, identity, requestId, null, 0);
  }

  /** A cancellation request; from another workflow's command when {@code externalExecution} is set. */
  void requestCancel(ExecutionMutation mutation, String reason, String identity, String requestId, WorkflowExecution externalExecution,
      long externalInitiatedEventId) {
    MutableState state = mutation.state();
    if (!state.running()) {
      // Temporal: "the request to cancel this workflow is a success even if the target workflow has already finished".
      return;
    }
    if (state.cancelRequested) {
      // Temporal answers a repeated cancel request with success: the first one stands.
      return;
    }
    state.cancelRequested = true;
    state.cancelRequestId = requestId;
    // As in Temporal, a cancel request does not wait for a first workflow task backoff.
    FirstWorkflowTaskBackoff.end(mutation);
    workflowTasks.appendExternal(mutation, List.of(mutation.unnumbered(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
        event -> {
          WorkflowExecutionCancelRequestedEventAttributes.Builder attributes = WorkflowExecutionCancelRequestedEventAttributes.newBuilder()
              .setCause(reason)
              .setIdentity(identity);
          if (externalExecution != null) {
            attributes.setExternalWorkflowExecution(externalExecution).setExternalInitiatedEventId(externalInitiatedEventId);
          }
          event.setWorkflowExecutionCancelRequestedEventAttributes(attributes);
        })));
  }

  private static void trimRequestIds(MutableState state) {
    Iterator<String> oldest = state.signalRequestIds.iterator();
    while (state.signalRequestIds.size() > MAX_REMEMBERED_REQUEST_IDS && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }
}
