package dev.hourglass.engine.history;

import io.temporal.api.enums.v1.SuggestContinueAsNewReason;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskStartedEventAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's per-run history limits, with its default values: past the suggestion thresholds a
 * workflow task tells the SDK to continue as new ({@code Workflow.getInfo().isContinueAsNewSuggested()}),
 * past the warning ones the server logs, past the error ones the run is terminated — a history
 * that keeps growing would otherwise make every replay slower until workers time out.
 */
final class HistoryLimits {
  static final long SUGGEST_CONTINUE_AS_NEW_EVENTS = 4 * 1024;
  static final long SUGGEST_CONTINUE_AS_NEW_BYTES = 4L * 1024 * 1024;
  static final long WARN_EVENTS = 10 * 1024;
  static final long WARN_BYTES = 10L * 1024 * 1024;
  static final long ERROR_EVENTS = 50 * 1024;
  static final long ERROR_BYTES = 50L * 1024 * 1024;
  static final String COUNT_EXCEEDED = "Workflow history count exceeds limit.";
  static final String SIZE_EXCEEDED = "Workflow history size exceeds limit.";

  private static final Logger log = LoggerFactory.getLogger(HistoryLimits.class);

  private HistoryLimits() {}

  /** Sets suggest_continue_as_new and its reasons on a workflow task's started event. */
  static void suggestContinueAsNew(MutableState state, WorkflowTaskStartedEventAttributes.Builder started) {
    if (state.historySizeBytes >= SUGGEST_CONTINUE_AS_NEW_BYTES) {
      started.setSuggestContinueAsNew(true)
          .addSuggestContinueAsNewReasons(SuggestContinueAsNewReason.SUGGEST_CONTINUE_AS_NEW_REASON_HISTORY_SIZE_TOO_LARGE);
    }
    if (eventCount(state) >= SUGGEST_CONTINUE_AS_NEW_EVENTS) {
      started.setSuggestContinueAsNew(true)
          .addSuggestContinueAsNewReasons(SuggestContinueAsNewReason.SUGGEST_CONTINUE_AS_NEW_REASON_TOO_MANY_HISTORY_EVENTS);
    }
  }

  /** Before a change commits: terminates a running run whose history went past an error limit. */
  static void enforce(ExecutionMutation mutation, WorkflowTasks workflowTasks) {
    MutableState state = mutation.state();
    if (!state.running() || mutation.newEvents().isEmpty()) {
      return;
    }
    String reason = state.historySizeBytes > ERROR_BYTES ? SIZE_EXCEEDED : eventCount(state) > ERROR_EVENTS ? COUNT_EXCEEDED : null;
    if (reason != null) {
      log.atWarn().addKeyValue("workflowId", state.workflowId).addKeyValue("runId", state.runId)
          .addKeyValue("events", eventCount(state)).addKeyValue("bytes", state.historySizeBytes)
          .log("terminating a workflow whose history exceeds the limit");
      WorkflowCloser.terminate(mutation, workflowTasks, reason, null, ChildWorkflows.SERVER_IDENTITY);
    } else if (crossed(mutation, WARN_EVENTS, WARN_BYTES)) {
      log.atWarn().addKeyValue("workflowId", state.workflowId).addKeyValue("runId", state.runId)
          .addKeyValue("events", eventCount(state)).addKeyValue("bytes", state.historySizeBytes)
          .log("workflow history exceeds the warning limit; it is terminated at " + ERROR_EVENTS + " events or " + ERROR_BYTES + " bytes");
    }
  }

  /** Whether this change took the history past a limit (so the warning is logged once per run). */
  private static boolean crossed(ExecutionMutation mutation, long events, long bytes) {
    MutableState state = mutation.state();
    if (eventCount(state) > events && eventCount(state) - mutation.newEvents().size() <= events) {
      return true;
    }
    // Summed only past the limit: this runs before every commit.
    return state.historySizeBytes > bytes
        && state.historySizeBytes - mutation.newEvents().stream().mapToLong(HistoryEvent::getSerializedSize).sum() <= bytes;
  }

  private static long eventCount(MutableState state) {
    return state.nextEventId - 1;
  }
}
