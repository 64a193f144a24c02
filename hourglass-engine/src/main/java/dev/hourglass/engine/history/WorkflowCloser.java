package dev.hourglass.engine.history;

import dev.hourglass.store.CurrentExecution;
import dev.hourglass.store.TaskKind;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Closes a run: appends its close event, drops everything pending (workflow task, activities,
 * timers, with their rows) and marks the current-run row closed so the workflow id can be reused.
 */
final class WorkflowCloser {
  private WorkflowCloser() {}

  static void close(ExecutionMutation mutation, WorkflowExecutionStatus status, EventType type, Consumer<HistoryEvent.Builder> attributes) {
    MutableState state = mutation.state();
    HistoryEvent closeEvent = mutation.append(type, attributes);
    state.status = status.getNumber();
    state.closeTimeMillis = mutation.nowMillis();
    state.closeEventId = closeEvent.getEventId();
    WorkflowTaskInfo task = state.workflowTask;
    if (task != null) {
      mutation.deleteTask(task.taskQueue, TaskKind.WORKFLOW, task.taskId);
      mutation.deleteTimer(task.timeoutTimerId);
      state.workflowTask = null;
    }
    for (ActivityInfo activity : List.copyOf(state.activities.values())) {
      Activities.removeActivity(mutation, activity);
    }
    for (TimerInfo timer : state.timers.values()) {
      mutation.deleteTimer(timer.timerRowId);
    }
    state.timers.clear();
    mutation.deleteTimer(state.runTimeoutTimerId);
    state.runTimeoutTimerId = 0;
    state.bufferedEvents.clear();
    mutation.setCurrent(new CurrentExecution(state.namespaceId, state.workflowId, state.runId, state.status, state.startRequestId),
        Optional.of(state.runId));
  }
}
