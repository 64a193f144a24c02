package dev.hourglass.ui;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The webhook timer service's timers (hourglass-timers keeps each as a {@code TimerWorkflow} whose
 * workflow id is the timer id), read like any client would: listed by workflow type, a pending
 * timer's state asked with its {@code getState} query, a closed one's from its result or its
 * failure's details.
 */
final class TimersPage {
  static final String TIMER_WORKFLOW_TYPE = "TimerWorkflow";
  private static final String STATE_QUERY = "getState";
  private static final int LIMIT = 50;
  /** A query waits for a worker; with none running the page must not hang on each timer. */
  private static final long QUERY_TIMEOUT_SECONDS = 3;

  private final WorkflowServiceStubs service;

  TimersPage(WorkflowServiceStubs service) {
    this.service = requireNonNull(service, "service is null");
  }

  Map<String, Object> model(String namespace) {
    Instant now = Instant.now();
    List<WorkflowExecutionInfo> executions = service.blockingStub().listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
        .setNamespace(namespace)
        .setQuery("WorkflowType = '" + TIMER_WORKFLOW_TYPE + "'")
        .setPageSize(LIMIT)
        .build()).getExecutionsList();
    List<Timer> pending = new ArrayList<>();
    List<Timer> done = new ArrayList<>();
    boolean queriesAnswer = true;
    for (WorkflowExecutionInfo info : executions) {
      boolean running = info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
      Optional<JsonNode> state = Optional.empty();
      if (running && queriesAnswer) {
        state = queryState(namespace, info);
        queriesAnswer = state.isPresent();
      } else if (!running) {
        state = closedState(namespace, info);
      }
      Timer timer = timer(namespace, info, state, now);
      (running ? pending : done).add(timer);
    }
    Map<String, Object> model = new HashMap<>();
    model.put("pending", pending);
    model.put("done", done);
    model.put("limit", LIMIT);
    model.put("noWorker", !queriesAnswer);
    model.put("listLink", Links.workflows(namespace, Map.of("type", TIMER_WORKFLOW_TYPE)));
    return model;
  }

  private static Timer timer(String namespace, WorkflowExecutionInfo info, Optional<JsonNode> state, Instant now) {
    String status = state.map(node -> node.path("status").asText("")).filter(text -> !text.isEmpty())
        .orElse(Statuses.label(info.getStatus())).toLowerCase(java.util.Locale.ROOT);
    When deadline = state.map(node -> node.path("deadline")).filter(JsonNode::canConvertToLong)
        .map(node -> When.of(Instant.ofEpochMilli(node.asLong()), now)).orElse(null);
    Integer attempts = state.map(node -> node.path("attempts")).filter(JsonNode::isInt).map(JsonNode::asInt).orElse(null);
    String lastError = state.map(node -> node.path("lastError")).filter(JsonNode::isTextual).map(JsonNode::asText).orElse(null);
    String workflowId = info.getExecution().getWorkflowId();
    return new Timer(workflowId, Links.workflow(namespace, workflowId, info.getExecution().getRunId()), status, deadline, attempts,
        lastError, When.of(info.getStartTime(), now), When.of(info.getCloseTime(), now));
  }

  private Optional<JsonNode> queryState(String namespace, WorkflowExecutionInfo info) {
    try {
      var response = service.blockingStub().withDeadlineAfter(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .queryWorkflow(QueryWorkflowRequest.newBuilder()
              .setNamespace(namespace)
              .setExecution(info.getExecution())
              .setQuery(WorkflowQuery.newBuilder().setQueryType(STATE_QUERY))
              .build());
      return first(response.getQueryResult());
    } catch (StatusRuntimeException e) {
      return Optional.empty();
    }
  }

  /** A fired timer's result is its final state; a failed delivery carries it as the failure's details. */
  private Optional<JsonNode> closedState(String namespace, WorkflowExecutionInfo info) {
    List<HistoryEvent> events = service.blockingStub().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
        .setNamespace(namespace)
        .setExecution(info.getExecution())
        .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
        .build()).getHistory().getEventsList();
    if (events.isEmpty()) {
      return Optional.empty();
    }
    HistoryEvent close = events.get(events.size() - 1);
    return switch (close.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> first(close.getWorkflowExecutionCompletedEventAttributes().getResult());
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> first(close.getWorkflowExecutionFailedEventAttributes().getFailure()
          .getApplicationFailureInfo().getDetails());
      default -> Optional.empty();
    };
  }

  private static Optional<JsonNode> first(Payloads payloads) {
    return payloads.getPayloadsCount() == 0 ? Optional.empty() : Optional.of(PayloadText.decode(payloads.getPayloads(0)));
  }

  /** One timer: its id (the workflow id), where it is, its deadline, the webhook calls made and the last error. */
  record Timer(String timerId, String link, String status, When deadline, Integer attempts, String lastError, When created, When closed) {}
}
