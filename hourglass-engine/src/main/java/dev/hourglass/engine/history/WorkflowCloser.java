package dev.hourglass.engine.history;

import dev.hourglass.common.NotFoundException;
import dev.hourglass.store.CurrentExecution;
import dev.hourglass.store.TaskKind;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionTerminatedEventAttributes;
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
    mutation.markClosesRun();
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
    // Requests to other workflows not yet delivered are dropped with the run, as in Temporal.
    // Children stay: the parent close policy (applied by the close hook) reads them.
    for (ExternalRequestInfo request : state.externalRequests.values()) {
      mutation.deleteTimer(request.taskId);
    }
    state.externalRequests.clear();
    mutation.setCurrent(new CurrentExecution(state.namespaceId, state.workflowId, state.runId, state.status, state.startRequestId),
        Optional.of(state.runId));
  }

  /** TerminateWorkflowExecution, from a client or a parent close policy. */
  static void terminate(ExecutionMutation mutation, WorkflowTasks workflowTasks, String reason, Payloads details, String identity) {
    if (!mutation.state().running()) {
      throw new NotFoundException("workflow execution already completed");
    }
    workflowTasks.flushBuffered(mutation);
    close(mutation, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
        event -> {
          WorkflowExecutionTerminatedEventAttributes.Builder attributes = WorkflowExecutionTerminatedEventAttributes.newBuilder()
              .setReason(reason)
              .setIdentity(identity);
          if (details != null) {
            attributes.setDetails(details);
          }
          event.setWorkflowExecutionTerminatedEventAttributes(attributes);
        });
  }
}
