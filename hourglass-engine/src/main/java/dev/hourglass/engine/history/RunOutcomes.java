package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.ContinueAsNewInitiator;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.TimeoutFailureInfo;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionCompletedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionFailedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionTimedOutEventAttributes;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * How a run's own outcome closes it — completed, failed, timed out — and whether the chain goes on
 * as Temporal decides it: a failed or timed-out run is retried by the workflow's retry policy;
 * otherwise a cron workflow starts its next run at the next cron time (a failure does not stop a
 * cron schedule). The close event then names the new run ({@code new_execution_run_id}), and the
 * new run starts in the same transaction. Termination and cancellation never continue a chain.
 */
final class RunOutcomes {
  /** The failure a run timeout is reported with, as Temporal's history service writes it. */
  static final Failure RUN_TIMEOUT_FAILURE = Failure.newBuilder()
      .setMessage("workflow timeout")
      .setTimeoutFailureInfo(TimeoutFailureInfo.newBuilder().setTimeoutType(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE))
      .build();

  private final WorkflowStarter starter;
  private final HistoryReader reader;

  RunOutcomes(WorkflowStarter starter, HistoryReader reader) {
    this.starter = requireNonNull(starter, "starter is null");
    this.reader = requireNonNull(reader, "reader is null");
  }

  /** CompleteWorkflowExecution: a cron workflow's next run gets the result as last_completion_result. */
  void complete(ExecutionMutation mutation, Payloads result, long completedEventId) {
    Consumer<String> close = newRunId -> WorkflowCloser.close(mutation, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, event -> event.setWorkflowExecutionCompletedEventAttributes(
            WorkflowExecutionCompletedEventAttributes.newBuilder()
                .setResult(result)
                .setWorkflowTaskCompletedEventId(completedEventId)
                .setNewExecutionRunId(newRunId)));
    OptionalLong cron = CronRuns.nextRunBackoffMillis(mutation.state(), mutation.nowMillis());
    if (cron.isPresent()) {
      startNext(mutation, new NextRuns.Link(ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE, 1, null, result,
          cron.getAsLong()), close);
    } else {
      close.accept("");
    }
  }

  /** FailWorkflowExecution. */
  void fail(ExecutionMutation mutation, Failure failure, long completedEventId) {
    closeUnsuccessfully(mutation, failure, false, (retryState, newRunId) -> WorkflowCloser.close(mutation,
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, event ->
            event.setWorkflowExecutionFailedEventAttributes(WorkflowExecutionFailedEventAttributes.newBuilder()
                .setFailure(failure)
                .setRetryState(retryState)
                .setWorkflowTaskCompletedEventId(completedEventId)
                .setNewExecutionRunId(newRunId))));
  }

  /** The run timeout fired; past the workflow execution timeout the chain ends with RETRY_STATE_TIMEOUT. */
  void timeOut(ExecutionMutation mutation) {
    boolean expired = WorkflowRetries.expired(mutation.state(), mutation.nowMillis());
    closeUnsuccessfully(mutation, RUN_TIMEOUT_FAILURE, expired, (retryState, newRunId) -> WorkflowCloser.close(mutation,
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, event ->
            event.setWorkflowExecutionTimedOutEventAttributes(WorkflowExecutionTimedOutEventAttributes.newBuilder()
                .setRetryState(retryState)
                .setNewExecutionRunId(newRunId))));
  }

  private interface UnsuccessfulClose {
    void close(RetryState retryState, String newRunId);
  }

  /** A retry if the policy allows one, else the next cron run (which keeps the last completion result), else the end. */
  private void closeUnsuccessfully(ExecutionMutation mutation, Failure failure, boolean expired, UnsuccessfulClose close) {
    MutableState state = mutation.state();
    if (expired) {
      close.close(RetryState.RETRY_STATE_TIMEOUT, "");
      return;
    }
    RetryPolicies.Decision retry = WorkflowRetries.decide(state, failure, mutation.nowMillis());
    Payloads lastCompletionResult = state.startedAttributes.hasLastCompletionResult() ? state.startedAttributes.getLastCompletionResult() : null;
    if (retry.retry()) {
      startNext(mutation, new NextRuns.Link(ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY, state.startedAttributes.getAttempt() + 1,
          failure, lastCompletionResult, retry.backoffMillis()), newRunId -> close.close(retry.state(), newRunId));
      return;
    }
    OptionalLong cron = CronRuns.nextRunBackoffMillis(state, mutation.nowMillis());
    if (cron.isPresent()) {
      startNext(mutation, new NextRuns.Link(ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE, 1, failure,
          lastCompletionResult, cron.getAsLong()), newRunId -> close.close(retry.state(), newRunId));
      return;
    }
    close.close(retry.state(), "");
  }

  /** Starts the same workflow again (input and header from the run's started event) and closes this run naming it. */
  private void startNext(ExecutionMutation mutation, NextRuns.Link link, Consumer<String> closeNaming) {
    MutableState state = mutation.state();
    StartWorkflowExecutionRequest request = NextRuns.sameWorkflowAgain(state, startedEvent(mutation));
    MutableState next = NextRuns.state(state, request, link);
    starter.startNextRun(mutation, next, request, () -> closeNaming.accept(next.runId));
  }

  private WorkflowExecutionStartedEventAttributes startedEvent(ExecutionMutation mutation) {
    List<HistoryEvent> first = reader.readEvents(mutation.executionKey(), 1, 1, 1);
    if (first.isEmpty() || !first.get(0).hasWorkflowExecutionStartedEventAttributes()) {
      throw new IllegalStateException("the history of " + mutation.executionKey() + " does not begin with its started event");
    }
    return first.get(0).getWorkflowExecutionStartedEventAttributes();
  }
}
