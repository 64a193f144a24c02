package dev.hourglass.cli.workflow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Payloads;
import dev.hourglass.cli.client.Session;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.serviceclient.MetricsTag;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a workflow ended, as {@code workflow execute} and {@code workflow result} report it: the
 * close event of the last run of its chain (continue-as-new and retries are followed, as the SDK's
 * {@code getResult} does).
 */
record RunOutcome(String workflowId, String runId, HistoryEvent closeEvent) {
  RunOutcome {
    requireNonNull(workflowId, "workflowId is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(closeEvent, "closeEvent is null");
  }

  /** Waits, by long polls for the close event, until the chain starting at {@code runId} (empty: the latest run) ends. */
  static RunOutcome await(Session session, String workflowId, String runId) {
    String current = runId.isEmpty() ? latestRunId(session, workflowId) : runId;
    while (true) {
      HistoryEvent close = awaitCloseEvent(session, WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(current).build());
      String next = nextRunId(close);
      if (next.isEmpty()) {
        return new RunOutcome(workflowId, current, close);
      }
      current = next;
    }
  }

  boolean succeeded() {
    return closeEvent.hasWorkflowExecutionCompletedEventAttributes();
  }

  /** COMPLETED, FAILED, CANCELED, TERMINATED or TIMED_OUT. */
  String status() {
    return switch (closeEvent.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> "COMPLETED";
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> "FAILED";
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> "CANCELED";
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> "TERMINATED";
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> "TIMED_OUT";
      default -> closeEvent.getEventType().name();
    };
  }

  /**
   * Prints the outcome on stdout (result or failure) and, when the workflow did not succeed, one
   * line on stderr saying how it ended; returns the exit code.
   */
  int report(Session session) {
    if (session.output().json()) {
      session.output().printJson(json(session));
    } else {
      Map<String, String> card = new LinkedHashMap<>();
      card.put("Status", status());
      if (succeeded()) {
        card.put("Result", Payloads.toText(result()));
      } else {
        detail().forEach(card::put);
      }
      session.output().line("Results:");
      session.output().card(card);
    }
    if (succeeded()) {
      return ExitCodes.OK;
    }
    session.error("Error: workflow " + status().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + summary());
    return ExitCodes.WORKFLOW_NOT_SUCCEEDED;
  }

  private JsonNode result() {
    return Payloads.decode(closeEvent.getWorkflowExecutionCompletedEventAttributes().getResult());
  }

  private ObjectNode json(Session session) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("workflowId", workflowId);
    node.put("runId", runId);
    node.put("status", status());
    if (succeeded()) {
      node.set("result", result());
    } else if (closeEvent.hasWorkflowExecutionFailedEventAttributes()) {
      node.set("failure", session.output().toJsonTree(closeEvent.getWorkflowExecutionFailedEventAttributes().getFailure()));
    } else if (closeEvent.hasWorkflowExecutionCanceledEventAttributes()) {
      node.set("details", Payloads.decode(closeEvent.getWorkflowExecutionCanceledEventAttributes().getDetails()));
    } else if (closeEvent.hasWorkflowExecutionTerminatedEventAttributes()) {
      node.put("reason", closeEvent.getWorkflowExecutionTerminatedEventAttributes().getReason());
    }
    return node;
  }

  private Map<String, String> detail() {
    Map<String, String> detail = new LinkedHashMap<>();
    if (closeEvent.hasWorkflowExecutionFailedEventAttributes()) {
      Failure failure = closeEvent.getWorkflowExecutionFailedEventAttributes().getFailure();
      detail.put("Failure", failureText(failure));
    } else if (closeEvent.hasWorkflowExecutionTerminatedEventAttributes()) {
      detail.put("Reason", closeEvent.getWorkflowExecutionTerminatedEventAttributes().getReason());
    } else if (closeEvent.hasWorkflowExecutionCanceledEventAttributes()
        && closeEvent.getWorkflowExecutionCanceledEventAttributes().hasDetails()) {
      detail.put("Details", Payloads.toText(Payloads.decode(closeEvent.getWorkflowExecutionCanceledEventAttributes().getDetails())));
    }
    return detail;
  }

  private String summary() {
    if (closeEvent.hasWorkflowExecutionFailedEventAttributes()) {
      return failureText(closeEvent.getWorkflowExecutionFailedEventAttributes().getFailure());
    }
    if (closeEvent.hasWorkflowExecutionTerminatedEventAttributes()) {
      String reason = closeEvent.getWorkflowExecutionTerminatedEventAttributes().getReason();
      return reason.isEmpty() ? "terminated without a reason" : "reason: " + reason;
    }
    if (closeEvent.hasWorkflowExecutionTimedOutEventAttributes()) {
      return "its run or execution timeout passed";
    }
    return "the workflow accepted a cancellation request";
  }

  /** The failure's message and its causes', innermost last: "message: cause message". */
  static String failureText(Failure failure) {
    StringBuilder text = new StringBuilder(failure.getMessage());
    if (failure.hasApplicationFailureInfo() && !failure.getApplicationFailureInfo().getType().isEmpty()) {
      text.append(" (").append(failure.getApplicationFailureInfo().getType()).append(")");
    }
    for (Failure cause = failure; cause.hasCause(); ) {
      cause = cause.getCause();
      text.append(": ").append(cause.getMessage());
    }
    return text.toString().replaceAll("\\s*\\R\\s*", " ");
  }

  private static String latestRunId(Session session, String workflowId) {
    return session.connection().workflowService().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace(session.namespace())
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
        .build()).getWorkflowExecutionInfo().getExecution().getRunId();
  }

  private static HistoryEvent awaitCloseEvent(Session session, WorkflowExecution execution) {
    while (true) {
      GetWorkflowExecutionHistoryResponse response;
      try {
        response = session.connection().workflowService()
            .withOption(MetricsTag.HISTORY_LONG_POLL_CALL_OPTIONS_KEY, true)
            .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(session.namespace())
                .setExecution(execution)
                .setWaitNewEvent(true)
                .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
                .build());
      } catch (StatusRuntimeException e) {
        if (isLongPollExpiry(e)) {
          continue;
        }
        throw e;
      }
      if (response.getHistory().getEventsCount() > 0) {
        return response.getHistory().getEvents(response.getHistory().getEventsCount() - 1);
      }
    }
  }

  /**
   * A long poll that ran into its per-call deadline just polls again; one that ran into
   * {@code --command-timeout} (the context's deadline) is the command's end.
   */
  static boolean isLongPollExpiry(StatusRuntimeException e) {
    return e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
        && (Context.current().getDeadline() == null || !Context.current().getDeadline().isExpired());
  }

  /** The run a close event hands over to: continue-as-new, or a retry after failure or timeout. */
  private static String nextRunId(HistoryEvent close) {
    if (close.hasWorkflowExecutionContinuedAsNewEventAttributes()) {
      return close.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId();
    }
    if (close.hasWorkflowExecutionFailedEventAttributes()) {
      return close.getWorkflowExecutionFailedEventAttributes().getNewExecutionRunId();
    }
    if (close.hasWorkflowExecutionTimedOutEventAttributes()) {
      return close.getWorkflowExecutionTimedOutEventAttributes().getNewExecutionRunId();
    }
    return "";
  }
}
