package dev.hourglass.engine.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import dev.hourglass.common.InvalidArgumentException;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.TimeoutFailureInfo;
import org.junit.jupiter.api.Test;

class RetryPoliciesTest {
  private static final Failure APPLICATION_FAILURE = Failure.newBuilder().setMessage("boom")
      .setApplicationFailureInfo(ApplicationFailureInfo.newBuilder().setType("IOException")).build();

  @Test
  void emptyPolicyGetsTemporalDefaults() {
    RetryPolicy policy = RetryPolicies.normalize(RetryPolicy.getDefaultInstance());
    assertThat(Durations.toMillis(policy.getInitialInterval())).isEqualTo(1_000);
    assertThat(policy.getBackoffCoefficient()).isEqualTo(2.0);
    assertThat(Durations.toMillis(policy.getMaximumInterval())).isEqualTo(100_000);
    assertThat(policy.getMaximumAttempts()).isZero();
  }

  @Test
  void backoffGrowsByCoefficientAndIsCappedAtMaximumInterval() {
    RetryPolicy policy = RetryPolicies.normalize(RetryPolicy.newBuilder()
        .setInitialInterval(Durations.fromSeconds(1)).setMaximumInterval(Durations.fromSeconds(5)).build());
    assertThat(RetryPolicies.backoffMillis(policy, 1, APPLICATION_FAILURE)).isEqualTo(1_000);
    assertThat(RetryPolicies.backoffMillis(policy, 2, APPLICATION_FAILURE)).isEqualTo(2_000);
    assertThat(RetryPolicies.backoffMillis(policy, 3, APPLICATION_FAILURE)).isEqualTo(4_000);
    assertThat(RetryPolicies.backoffMillis(policy, 4, APPLICATION_FAILURE)).isEqualTo(5_000);
    assertThat(RetryPolicies.backoffMillis(policy, 1_000, APPLICATION_FAILURE)).isEqualTo(5_000);
  }

  @Test
  void nextRetryDelayOverridesTheFormulaButNotTheMaximum() {
    RetryPolicy policy = RetryPolicies.normalize(RetryPolicy.newBuilder().setMaximumInterval(Durations.fromSeconds(10)).build());
    Failure withDelay = APPLICATION_FAILURE.toBuilder().setApplicationFailureInfo(APPLICATION_FAILURE.getApplicationFailureInfo().toBuilder()
        .setNextRetryDelay(Durations.fromSeconds(7))).build();
    assertThat(RetryPolicies.backoffMillis(policy, 1, withDelay)).isEqualTo(7_000);
    Failure tooLong = withDelay.toBuilder().setApplicationFailureInfo(withDelay.getApplicationFailureInfo().toBuilder()
        .setNextRetryDelay(Durations.fromSeconds(60))).build();
    assertThat(RetryPolicies.backoffMillis(policy, 1, tooLong)).isEqualTo(10_000);
  }

  @Test
  void maximumAttemptsStopsRetrying() {
    RetryPolicy policy = RetryPolicies.normalize(RetryPolicy.newBuilder().setMaximumAttempts(3).build());
    assertThat(RetryPolicies.decide(policy, 2, APPLICATION_FAILURE, 0, 0).state()).isEqualTo(RetryState.RETRY_STATE_IN_PROGRESS);
    assertThat(RetryPolicies.decide(policy, 3, APPLICATION_FAILURE, 0, 0).state()).isEqualTo(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
  }

  @Test
  void nonRetryableFailuresAreNotRetried() {
    RetryPolicy policy = RetryPolicies.normalize(RetryPolicy.newBuilder().addNonRetryableErrorTypes("IOException").build());
    assertThat(RetryPolicies.decide(policy, 1, APPLICATION_FAILURE, 0, 0).state()).isEqualTo(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
    Failure flagged = Failure.newBuilder().setApplicationFailureInfo(ApplicationFailureInfo.newBuilder().setType("Other").setNonRetryable(true)).build();
    assertThat(RetryPolicies.decide(RetryPolicies.normalize(RetryPolicy.getDefaultInstance()), 1, flagged, 0, 0).state())
        .isEqualTo(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
  }

  @Test
  void timeoutsAreRetriedUnlessListedAsNonRetryable() {
    Failure timeout = Failure.newBuilder().setTimeoutFailureInfo(TimeoutFailureInfo.newBuilder()
        .setTimeoutType(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE)).build();
    assertThat(RetryPolicies.decide(RetryPolicies.normalize(RetryPolicy.getDefaultInstance()), 1, timeout, 0, 0).retry()).isTrue();
    RetryPolicy policy = RetryPolicies.normalize(RetryPolicy.newBuilder().addNonRetryableErrorTypes("TemporalTimeout:StartToClose").build());
    assertThat(RetryPolicies.decide(policy, 1, timeout, 0, 0).state()).isEqualTo(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
  }

  @Test
  void retryThatWouldPassScheduleToCloseIsATimeout() {
    RetryPolicy policy = RetryPolicies.normalize(RetryPolicy.newBuilder().setInitialInterval(Durations.fromSeconds(10)).build());
    assertThat(RetryPolicies.decide(policy, 1, APPLICATION_FAILURE, 1_000, 5_000).state()).isEqualTo(RetryState.RETRY_STATE_TIMEOUT);
    assertThat(RetryPolicies.decide(policy, 1, APPLICATION_FAILURE, 1_000, 60_000).backoffMillis()).isEqualTo(10_000);
  }

  @Test
  void invalidPoliciesAreRejected() {
    assertThatThrownBy(() -> RetryPolicies.normalize(RetryPolicy.newBuilder().setBackoffCoefficient(0.5).build()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("BackoffCoefficient");
    assertThatThrownBy(() -> RetryPolicies.normalize(RetryPolicy.newBuilder().setMaximumAttempts(-1).build()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("MaximumAttempts");
    assertThatThrownBy(() -> RetryPolicies.normalize(RetryPolicy.newBuilder()
        .setInitialInterval(Durations.fromSeconds(10)).setMaximumInterval(Durations.fromSeconds(1)).build()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("MaximumInterval");
  }
}
