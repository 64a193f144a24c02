package dev.hourglass.engine.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.common.InvalidArgumentException;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.ContinueAsNewInitiator;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartRequestsTest {
  private static final long NOW_MILLIS = Instant.parse("2025-03-10T05:10:30Z").toEpochMilli();

  private static StartWorkflowExecutionRequest.Builder request() {
    return StartWorkflowExecutionRequest.newBuilder().setWorkflowId("w");
  }

  @Test
  void retryPolicyGetsTemporalsDefaults() {
    RetryPolicy policy = StartRequests.normalize(request().setRetryPolicy(RetryPolicy.newBuilder().setMaximumAttempts(4)).build())
        .getRetryPolicy();

    assertThat(Durations.toMillis(policy.getInitialInterval())).isEqualTo(1_000);
    assertThat(policy.getBackoffCoefficient()).isEqualTo(2.0);
    assertThat(Durations.toMillis(policy.getMaximumInterval())).isEqualTo(100_000);
    assertThat(policy.getMaximumAttempts()).isEqualTo(4);
  }

  @Test
  void badOptionsAreRejectedWithTemporalsMessages() {
    assertThatThrownBy(() -> StartRequests.normalize(request().setCronSchedule("@daily")
        .setWorkflowStartDelay(Durations.fromSeconds(5)).build()))
        .isInstanceOf(InvalidArgumentException.class).hasMessage("CronSchedule and WorkflowStartDelay may not be used together.");
    assertThatThrownBy(() -> StartRequests.normalize(request().setWorkflowStartDelay(Durations.fromSeconds(-5)).build()))
        .isInstanceOf(InvalidArgumentException.class).hasMessage("An invalid WorkflowStartDelaySeconds is set on request.");
    assertThatThrownBy(() -> StartRequests.normalize(request().setCronSchedule("61 * * * *").build()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Invalid CronSchedule");
    assertThatThrownBy(() -> StartRequests.normalize(request()
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING).build()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("REJECT_DUPLICATE cannot be used together");
  }

  @Test
  void conflictPolicyDefaultsDependOnTheRpc() {
    assertThat(StartRequests.conflictPolicy(request().build(), false)).isEqualTo(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL);
    assertThat(StartRequests.conflictPolicy(request().build(), true))
        .isEqualTo(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING);
    assertThat(StartRequests.conflictPolicy(request()
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING).build(), false))
        .isEqualTo(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING);
  }

  @Test
  void firstRunOfACronWorkflowWaitsForTheFirstCronTimeAndStartsTheExecutionTimeout() {
    WorkflowExecutionStartedEventAttributes attributes = WorkflowExecutionStartedEventAttributes.newBuilder()
        .setCronSchedule("*/15 * * * *")
        .setWorkflowExecutionTimeout(Durations.fromHours(1))
        .build();

    WorkflowExecutionStartedEventAttributes first = StartRequests.firstRunAttributes(attributes, request().build(), NOW_MILLIS);

    assertThat(first.getInitiator()).isEqualTo(ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE);
    assertThat(Durations.toMillis(first.getFirstWorkflowTaskBackoff())).isEqualTo(270_000);
    assertThat(Timestamps.toMillis(first.getWorkflowExecutionExpirationTime())).isEqualTo(NOW_MILLIS + 3_600_000);
  }

  @Test
  void laterRunsOfAChainKeepWhatTheyInherited() {
    WorkflowExecutionStartedEventAttributes continued = WorkflowExecutionStartedEventAttributes.newBuilder()
        .setContinuedExecutionRunId("previous")
        .setCronSchedule("*/15 * * * *")
        .setFirstWorkflowTaskBackoff(Durations.fromSeconds(7))
        .build();

    assertThat(StartRequests.firstRunAttributes(continued, request().build(), NOW_MILLIS)).isEqualTo(continued);
  }
}
