package dev.hourglass.engine.history;

import com.google.protobuf.util.Durations;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.WorkflowKey;
import dev.hourglass.engine.schedule.CronSchedule;
import io.temporal.api.command.v1.ContinueAsNewWorkflowExecutionCommandAttributes;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.ContinueAsNewInitiator;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.util.UUID;

/**
 * The next run of a chain of runs of one workflow id: continue-as-new, a retry, the next cron run.
 * Builds what it starts from (the request) and its state, linked to the run it follows; the
 * starting itself is {@link WorkflowStarter#startNextRun}, in the transaction that closes the
 * previous run. Pure functions.
 */
final class NextRuns {
  /**
   * How the next run follows the previous one.
   *
   * @param attempt 1, or the previous attempt + 1 for a retry
   * @param continuedFailure the failure of the previous run, or null
   * @param lastCompletionResult the result of the last completed cron run, or null
   * @param backoffMillis how long its first workflow task waits (first_workflow_task_backoff)
   */
  record Link(ContinueAsNewInitiator initiator, int attempt, Failure continuedFailure, Payloads lastCompletionResult,
      long backoffMillis) {}

  private NextRuns() {}

  /**
   * The same workflow once more (a retry or the next cron run), as Temporal starts it: type, task
   * queue, input, header, timeouts, retry policy, cron schedule, and the memo and search attributes
   * given at start. {@code started} is the previous run's started event attributes, with input.
   */
  static StartWorkflowExecutionRequest sameWorkflowAgain(MutableState previous, WorkflowExecutionStartedEventAttributes started) {
    StartWorkflowExecutionRequest.Builder request = StartWorkflowExecutionRequest.newBuilder()
        .setWorkflowId(previous.workflowId)
        .setRequestId(UUID.randomUUID().toString())
        .setWorkflowType(started.getWorkflowType())
        .setTaskQueue(started.getTaskQueue())
        .setWorkflowExecutionTimeout(started.getWorkflowExecutionTimeout())
        .setWorkflowRunTimeout(started.getWorkflowRunTimeout())
        .setWorkflowTaskTimeout(started.getWorkflowTaskTimeout())
        .setCronSchedule(started.getCronSchedule());
    if (started.hasInput()) {
      request.setInput(started.getInput());
    }
    if (started.hasHeader()) {
      request.setHeader(started.getHeader());
    }
    if (started.hasRetryPolicy()) {
      request.setRetryPolicy(started.getRetryPolicy());
    }
    if (started.hasMemo()) {
      request.setMemo(started.getMemo());
    }
    if (started.hasSearchAttributes()) {
      request.setSearchAttributes(started.getSearchAttributes());
    }
    if (started.hasPriority()) {
      request.setPriority(started.getPriority());
    }
    return request.build();
  }

  /**
   * The run a ContinueAsNewWorkflowExecution command asks for. Unset type, task queue and timeouts
   * are inherited; so are the memo, search attributes and retry policy. The cron schedule is the
   * command's own, as in Temporal (an empty one ends the cron schedule).
   */
  static StartWorkflowExecutionRequest continuedAsNew(MutableState previous, ContinueAsNewWorkflowExecutionCommandAttributes command,
      String identity) {
    WorkflowExecutionStartedEventAttributes started = previous.startedAttributes;
    StartWorkflowExecutionRequest.Builder next = StartWorkflowExecutionRequest.newBuilder()
        .setWorkflowId(previous.workflowId)
        .setRequestId(UUID.randomUUID().toString())
        .setIdentity(identity)
        .setWorkflowType(command.hasWorkflowType() && !command.getWorkflowType().getName().isEmpty()
            ? command.getWorkflowType() : started.getWorkflowType())
        .setTaskQueue(command.hasTaskQueue() && !command.getTaskQueue().getName().isEmpty()
            ? command.getTaskQueue() : started.getTaskQueue())
        .setWorkflowExecutionTimeout(started.getWorkflowExecutionTimeout())
        .setWorkflowRunTimeout(Durations.toMillis(command.getWorkflowRunTimeout()) > 0
            ? command.getWorkflowRunTimeout() : started.getWorkflowRunTimeout())
        .setWorkflowTaskTimeout(Durations.toMillis(command.getWorkflowTaskTimeout()) > 0
            ? command.getWorkflowTaskTimeout() : started.getWorkflowTaskTimeout())
        .setCronSchedule(command.getCronSchedule());
    if (command.hasInput()) {
      next.setInput(command.getInput());
    }
    if (command.hasHeader()) {
      next.setHeader(command.getHeader());
    }
    if (command.hasMemo()) {
      next.setMemo(command.getMemo());
    } else if (previous.memo != null) {
      next.setMemo(previous.memo);
    }
    if (command.hasSearchAttributes()) {
      next.setSearchAttributes(command.getSearchAttributes());
    } else if (previous.searchAttributes != null) {
      next.setSearchAttributes(previous.searchAttributes);
    }
    if (command.hasRetryPolicy()) {
      next.setRetryPolicy(command.getRetryPolicy());
    } else if (started.hasRetryPolicy()) {
      next.setRetryPolicy(started.getRetryPolicy());
    }
    return next.build();
  }

  /**
   * Checks a continue-as-new command's cron schedule, backoff and retry policy; returns it with the
   * retry policy's defaults filled in.
   *
   * @throws InvalidArgumentException naming what is wrong
   */
  static ContinueAsNewWorkflowExecutionCommandAttributes validate(ContinueAsNewWorkflowExecutionCommandAttributes command) {
    if (command.getBackoffStartInterval().getSeconds() < 0 || command.getBackoffStartInterval().getNanos() < 0) {
      throw new InvalidArgumentException("Invalid BackoffStartInterval on ContinueAsNewWorkflowExecutionCommand: it may not be negative.");
    }
    if (!command.getCronSchedule().isEmpty()) {
      CronSchedule.parse(command.getCronSchedule());
    }
    if (command.hasRetryPolicy()) {
      return command.toBuilder().setRetryPolicy(RetryPolicies.normalize(command.getRetryPolicy())).build();
    }
    return command;
  }

  /** How a continue-as-new command links its run: attempt + 1 only when the workflow itself retries. */
  static Link continuedAsNewLink(MutableState previous, ContinueAsNewWorkflowExecutionCommandAttributes command) {
    ContinueAsNewInitiator initiator = command.getInitiator() == ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_UNSPECIFIED
        ? ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_WORKFLOW : command.getInitiator();
    int attempt = initiator == ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY ? previous.startedAttributes.getAttempt() + 1 : 1;
    return new Link(initiator, attempt, command.hasFailure() ? command.getFailure() : null,
        command.hasLastCompletionResult() ? command.getLastCompletionResult() : null, Durations.toMillis(command.getBackoffStartInterval()));
  }

  /**
   * The next run's state, with a new run id, linked to {@code previous}: the chain's first run id
   * and expiration time (the execution timeout spans the whole chain), and the parent and root of a
   * child workflow, so that a child's retries, cron runs and continuations keep reporting to it.
   */
  static MutableState state(MutableState previous, StartWorkflowExecutionRequest request, Link link) {
    MutableState next = WorkflowStarter.newState(new WorkflowKey(previous.namespaceId, previous.workflowId), request);
    WorkflowExecutionStartedEventAttributes before = previous.startedAttributes;
    WorkflowExecutionStartedEventAttributes.Builder attributes = next.startedAttributes.toBuilder()
        .setContinuedExecutionRunId(previous.runId)
        .setFirstExecutionRunId(before.getFirstExecutionRunId())
        .setInitiator(link.initiator())
        .setAttempt(link.attempt())
        .setFirstWorkflowTaskBackoff(Durations.fromMillis(Math.max(0, link.backoffMillis())));
    if (before.hasWorkflowExecutionExpirationTime()) {
      attributes.setWorkflowExecutionExpirationTime(before.getWorkflowExecutionExpirationTime());
    }
    if (link.continuedFailure() != null) {
      attributes.setContinuedFailure(link.continuedFailure());
    }
    if (link.lastCompletionResult() != null) {
      attributes.setLastCompletionResult(link.lastCompletionResult());
    }
    WorkflowStarter.inheritParent(before, attributes);
    next.attachedCompletionCallbacks.addAll(previous.attachedCompletionCallbacks);
    next.startedAttributes = attributes.build();
    return next;
  }
}
