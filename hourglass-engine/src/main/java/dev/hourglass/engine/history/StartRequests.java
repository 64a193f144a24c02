package dev.hourglass.engine.history;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.engine.schedule.CronSchedule;
import io.temporal.api.enums.v1.ContinueAsNewInitiator;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;

/**
 * The workflow options of a start request as Temporal's frontend checks and completes them: the
 * retry policy (defaults filled in, so the started event shows them), cron schedule, start delay,
 * and the workflow id policies. Pure functions.
 */
final class StartRequests {
  private StartRequests() {}

  /** @throws InvalidArgumentException with Temporal's message for a bad option */
  static StartWorkflowExecutionRequest normalize(StartWorkflowExecutionRequest request) {
    StartWorkflowExecutionRequest.Builder normalized = request.toBuilder();
    if (request.hasRetryPolicy()) {
      normalized.setRetryPolicy(RetryPolicies.normalize(request.getRetryPolicy()));
    }
    if (request.hasWorkflowStartDelay()) {
      if (!request.getCronSchedule().isEmpty()) {
        throw new InvalidArgumentException("CronSchedule and WorkflowStartDelay may not be used together.");
      }
      if (Durations.toMillis(request.getWorkflowStartDelay()) < 0 || request.getWorkflowStartDelay().getNanos() < 0) {
        throw new InvalidArgumentException("An invalid WorkflowStartDelaySeconds is set on request.");
      }
    }
    if (!request.getCronSchedule().isEmpty()) {
      CronSchedule.parse(request.getCronSchedule());
    }
    if (request.getWorkflowIdConflictPolicy() != WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED
        && request.getWorkflowIdReusePolicy() == WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING) {
      throw new InvalidArgumentException("Invalid WorkflowIDReusePolicy: WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING cannot be used "
          + "together with a WorkflowIDConflictPolicy");
    }
    if (request.getWorkflowIdConflictPolicy() == WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING
        && request.getWorkflowIdReusePolicy() == WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE) {
      throw new InvalidArgumentException("Invalid WorkflowIDReusePolicy: WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE cannot be used "
          + "together with WorkflowIdConflictPolicy WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING");
    }
    return normalized.build();
  }

  /**
   * What happens when the workflow id has a running run: the request's conflict policy, else
   * TERMINATE_EXISTING for the deprecated reuse policy TERMINATE_IF_RUNNING, else Temporal's
   * default (FAIL for a start, USE_EXISTING — signal the running run — for SignalWithStart).
   */
  static WorkflowIdConflictPolicy conflictPolicy(StartWorkflowExecutionRequest request, boolean signalWithStart) {
    if (request.getWorkflowIdConflictPolicy() != WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED) {
      return request.getWorkflowIdConflictPolicy();
    }
    if (request.getWorkflowIdReusePolicy() == WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING) {
      return WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING;
    }
    return signalWithStart ? WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING
        : WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL;
  }

  /**
   * Completes the started attributes of a chain's first run at its start time: the expiration of
   * the execution timeout (which then spans the whole chain), and the first workflow task backoff
   * of a cron workflow (until its first cron time; initiator CRON_SCHEDULE) or a start delay.
   * Later runs of a chain have these from the run before them.
   */
  static WorkflowExecutionStartedEventAttributes firstRunAttributes(WorkflowExecutionStartedEventAttributes attributes,
      StartWorkflowExecutionRequest request, long nowMillis) {
    if (!attributes.getContinuedExecutionRunId().isEmpty()) {
      return attributes;
    }
    WorkflowExecutionStartedEventAttributes.Builder builder = attributes.toBuilder();
    long executionTimeout = Durations.toMillis(attributes.getWorkflowExecutionTimeout());
    if (executionTimeout > 0) {
      builder.setWorkflowExecutionExpirationTime(Timestamps.fromMillis(nowMillis + executionTimeout));
    }
    if (!attributes.getCronSchedule().isEmpty()) {
      builder.setInitiator(ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE)
          .setFirstWorkflowTaskBackoff(Durations.fromMillis(CronRuns.firstRunBackoffMillis(attributes.getCronSchedule(), nowMillis)));
    } else if (request.hasWorkflowStartDelay() && Durations.toMillis(request.getWorkflowStartDelay()) > 0) {
      builder.setFirstWorkflowTaskBackoff(request.getWorkflowStartDelay());
    }
    return builder.build();
  }
}
