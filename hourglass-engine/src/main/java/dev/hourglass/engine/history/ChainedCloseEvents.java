package dev.hourglass.engine.history;

import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionContinuedAsNewEventAttributes;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;

/**
 * Close events of runs whose chain went on (a retry, the next cron run), shown to clients that
 * only follow continue-as-new. A client waiting for a workflow's result (the Java SDK's
 * {@code getResult}) asks for the close event and follows {@code new_execution_run_id} only of a
 * WorkflowExecutionContinuedAsNew event; Temporal's history service, for clients that do not
 * announce the "follows-next-run-id" feature, answers a completed, failed or timed-out close event
 * that names a next run as a continued-as-new event, so the client waits for the chain's final
 * outcome. Hourglass does the same. Only for close-event requests: full histories are unchanged.
 */
final class ChainedCloseEvents {
  private ChainedCloseEvents() {}

  static GetWorkflowExecutionHistoryResponse asContinuedAsNew(GetWorkflowExecutionHistoryResponse response) {
    if (response.getHistory().getEventsCount() == 0) {
      return response;
    }
    HistoryEvent close = response.getHistory().getEvents(response.getHistory().getEventsCount() - 1);
    WorkflowExecutionContinuedAsNewEventAttributes.Builder continued = WorkflowExecutionContinuedAsNewEventAttributes.newBuilder();
    switch (close.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> continued
          .setNewExecutionRunId(close.getWorkflowExecutionCompletedEventAttributes().getNewExecutionRunId())
          .setLastCompletionResult(close.getWorkflowExecutionCompletedEventAttributes().getResult());
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> continued
          .setNewExecutionRunId(close.getWorkflowExecutionFailedEventAttributes().getNewExecutionRunId())
          .setFailure(close.getWorkflowExecutionFailedEventAttributes().getFailure());
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> continued
          .setNewExecutionRunId(close.getWorkflowExecutionTimedOutEventAttributes().getNewExecutionRunId())
          .setFailure(RunOutcomes.RUN_TIMEOUT_FAILURE);
      default -> {
        return response;
      }
    }
    if (continued.getNewExecutionRunId().isEmpty()) {
      return response;
    }
    HistoryEvent substitute = HistoryEvent.newBuilder()
        .setEventId(close.getEventId())
        .setEventTime(close.getEventTime())
        .setTaskId(close.getTaskId())
        .setEventType(io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW)
        .setWorkflowExecutionContinuedAsNewEventAttributes(continued)
        .build();
    History.Builder history = response.getHistory().toBuilder();
    history.setEvents(history.getEventsCount() - 1, substitute);
    return response.toBuilder().setHistory(history).build();
  }
}
