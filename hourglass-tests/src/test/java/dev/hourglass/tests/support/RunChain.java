package dev.hourglass.tests.support;

import static java.util.Objects.requireNonNull;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The runs of one workflow id linked by their close events' {@code new_execution_run_id} (retries,
 * cron runs, continue-as-new), read through the SDK client, run by run.
 */
public final class RunChain {
  private final WorkflowClient client;

  public RunChain(WorkflowClient client) {
    this.client = requireNonNull(client, "client is null");
  }

  /** The history of one run. */
  public List<HistoryEvent> events(String workflowId, String runId) {
    return client.fetchHistory(workflowId, runId).getEvents();
  }

  /** The run ids from {@code firstRunId} on, following each closed run to the run it started. */
  public List<String> runIds(String workflowId, String firstRunId) {
    List<String> runs = new ArrayList<>(List.of(firstRunId));
    while (true) {
      List<HistoryEvent> events = events(workflowId, runs.get(runs.size() - 1));
      String next = nextRunId(events.get(events.size() - 1));
      if (next.isEmpty()) {
        return runs;
      }
      runs.add(next);
    }
  }

  /** The run a close event names as the next of its chain; empty for other events and for a chain's end. */
  public static String nextRunId(HistoryEvent event) {
    return switch (event.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> event.getWorkflowExecutionCompletedEventAttributes().getNewExecutionRunId();
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> event.getWorkflowExecutionFailedEventAttributes().getNewExecutionRunId();
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> event.getWorkflowExecutionTimedOutEventAttributes().getNewExecutionRunId();
      case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> event.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId();
      default -> "";
    };
  }
}
