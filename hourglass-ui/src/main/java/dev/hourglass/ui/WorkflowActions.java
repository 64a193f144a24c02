package dev.hourglass.ui;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Optional;
import java.util.UUID;

/**
 * The buttons of the workflow page: signal, query, cancel, terminate and reset, each one RPC of
 * WorkflowService, answered with an {@link Outcome} the page shows. JSON typed in a form is sent
 * as {@code json/plain}, as the SDK's default data converter writes it.
 */
final class WorkflowActions {
  static final String IDENTITY = "hourglass-ui";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final WorkflowServiceStubs service;

  WorkflowActions(WorkflowServiceStubs service) {
    this.service = requireNonNull(service, "service is null");
  }

  Outcome run(String action, String namespace, WorkflowExecution execution, Request request) {
    try {
      return switch (action) {
        case "signal" -> signal(namespace, execution, request);
        case "query" -> query(namespace, execution, request);
        case "cancel" -> cancel(namespace, execution, request);
        case "terminate" -> terminate(namespace, execution, request);
        case "reset" -> reset(namespace, execution, request);
        default -> Outcome.error("Unknown action", action);
      };
    } catch (InvalidInputException e) {
      return Outcome.error("Not sent", e.getMessage());
    } catch (StatusRuntimeException e) {
      return Outcome.error("The server refused: " + e.getStatus().getCode(), e.getStatus().getDescription());
    }
  }

  private Outcome signal(String namespace, WorkflowExecution execution, Request request) {
    String name = required(request, "name", "signal name");
    SignalWorkflowExecutionRequest.Builder signal = SignalWorkflowExecutionRequest.newBuilder()
        .setNamespace(namespace)
        .setWorkflowExecution(execution)
        .setSignalName(name)
        .setIdentity(IDENTITY)
        .setRequestId(UUID.randomUUID().toString());
    input(request).ifPresent(signal::setInput);
    service.blockingStub().signalWorkflowExecution(signal.build());
    return Outcome.ok("Signal " + name + " sent", null);
  }

  private Outcome query(String namespace, WorkflowExecution execution, Request request) {
    String name = required(request, "name", "query name");
    WorkflowQuery.Builder query = WorkflowQuery.newBuilder().setQueryType(name);
    input(request).ifPresent(query::setQueryArgs);
    QueryWorkflowResponse response = service.blockingStub().queryWorkflow(QueryWorkflowRequest.newBuilder()
        .setNamespace(namespace)
        .setExecution(execution)
        .setQuery(query)
        .build());
    if (response.hasQueryRejected()) {
      return Outcome.error("Query " + name + " rejected", "The workflow is " + Statuses.label(response.getQueryRejected().getStatus()));
    }
    return Outcome.ok("Query " + name + " answered", PayloadText.text(response.getQueryResult()).orElse("null"));
  }

  private Outcome cancel(String namespace, WorkflowExecution execution, Request request) {
    service.blockingStub().requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest.newBuilder()
        .setNamespace(namespace)
        .setWorkflowExecution(execution)
        .setReason(request.field("reason").trim())
        .setIdentity(IDENTITY)
        .setRequestId(UUID.randomUUID().toString())
        .build());
    return Outcome.ok("Cancellation requested", "The workflow decides how to stop; its status changes when it has.");
  }

  private Outcome terminate(String namespace, WorkflowExecution execution, Request request) {
    service.blockingStub().terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder()
        .setNamespace(namespace)
        .setWorkflowExecution(execution)
        .setReason(request.field("reason").trim())
        .setIdentity(IDENTITY)
        .build());
    return Outcome.ok("Workflow terminated", null);
  }

  private Outcome reset(String namespace, WorkflowExecution execution, Request request) {
    long eventId;
    try {
      eventId = Long.parseLong(required(request, "eventId", "event to reset to"));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("The event to reset to must be an event id");
    }
    String newRunId = service.blockingStub().resetWorkflowExecution(ResetWorkflowExecutionRequest.newBuilder()
        .setNamespace(namespace)
        .setWorkflowExecution(execution)
        .setWorkflowTaskFinishEventId(eventId)
        .setReason(request.field("reason").trim())
        .setRequestId(UUID.randomUUID().toString())
        .build()).getRunId();
    return new Outcome(true, "Reset to event " + eventId + ": a new run started", null,
        Links.workflow(namespace, execution.getWorkflowId(), newRunId));
  }

  private static String required(Request request, String field, String what) {
    String value = request.field(field).trim();
    if (value.isEmpty()) {
      throw new InvalidInputException("Give the " + what);
    }
    return value;
  }

  /** The form's JSON input as one payload, or none when the box is empty. */
  private static Optional<Payloads> input(Request request) {
    String text = request.field("input").trim();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    JsonNode value;
    try {
      value = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("The input is not JSON (" + e.getOriginalMessage() + "). A string needs its quotes: \"text\"");
    }
    return DefaultDataConverter.STANDARD_INSTANCE.toPayloads(value);
  }

  /**
   * What an action did, as the page shows it.
   *
   * @param detail more to read (a query's answer, the server's message), or null
   * @param link where to go next (a reset's new run), or null
   */
  record Outcome(boolean ok, String title, String detail, String link) {
    static Outcome ok(String title, String detail) {
      return new Outcome(true, title, detail, null);
    }

    static Outcome error(String title, String detail) {
      return new Outcome(false, title, detail, null);
    }
  }

  private static final class InvalidInputException extends RuntimeException {
    InvalidInputException(String message) {
      super(message);
    }
  }
}
