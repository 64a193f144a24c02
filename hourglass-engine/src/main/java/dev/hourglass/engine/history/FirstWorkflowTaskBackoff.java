package dev.hourglass.engine.history;

import com.google.protobuf.util.Durations;

/**
 * The wait before a run's first workflow task: Temporal's first_workflow_task_backoff, after which
 * a retried run, the next run of a cron workflow or a workflow started with a delay gets its first
 * workflow task. The wait is a durable timer ({@link TimerKind#WORKFLOW_BACKOFF}), so it spans a
 * server restart. While it runs, events (signals) are recorded without a workflow task; a cancel
 * request or a second SignalWithStart ends it early, as in Temporal.
 */
final class FirstWorkflowTaskBackoff {
  private FirstWorkflowTaskBackoff() {}

  static boolean waiting(MutableState state) {
    return state.running() && state.backoffTimerId != 0;
  }

  /** Whether the run's first workflow task still waits and will not be scheduled before {@code millis}. */
  static boolean waitsPast(MutableState state, long millis) {
    return waiting(state) && state.startTimeMillis + Durations.toMillis(state.startedAttributes.getFirstWorkflowTaskBackoff()) > millis;
  }

  static void begin(ExecutionMutation mutation, long backoffMillis) {
    mutation.state().backoffTimerId = mutation.addTimer(mutation.nowMillis() + backoffMillis, TimerKind.WORKFLOW_BACKOFF, 0, 0, "");
  }

  /** The backoff timer fired: the first workflow task is scheduled now (unless something ended the wait before). */
  static void onTimer(ExecutionMutation mutation, long timerId, WorkflowTasks workflowTasks) {
    mutation.deleteTimer(timerId);
    MutableState state = mutation.state();
    if (!state.running() || state.backoffTimerId != timerId) {
      return;
    }
    state.backoffTimerId = 0;
    workflowTasks.scheduleIfNeeded(mutation);
  }

  /** Ends the wait now; the caller's event then schedules the first workflow task. */
  static void end(ExecutionMutation mutation) {
    MutableState state = mutation.state();
    if (waiting(state)) {
      mutation.deleteTimer(state.backoffTimerId);
      state.backoffTimerId = 0;
    }
  }
}
