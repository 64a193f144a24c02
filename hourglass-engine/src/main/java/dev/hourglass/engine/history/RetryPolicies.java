package dev.hourglass.engine.history;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import dev.hourglass.common.InvalidArgumentException;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.failure.v1.Failure;

/**
 * Temporal's retry policy, as documented on {@code RetryPolicy} in temporalio/api: defaults
 * (initial interval 1 s, backoff coefficient 2.0, maximum interval 100 × initial, maximum attempts
 * 0 = unlimited), validation, and the decision after a failed attempt. Pure functions.
 */
final class RetryPolicies {
  static final long DEFAULT_INITIAL_INTERVAL_MILLIS = 1_000;
  static final double DEFAULT_BACKOFF_COEFFICIENT = 2.0;
  static final int DEFAULT_MAXIMUM_INTERVAL_FACTOR = 100;

  /** What to do after an attempt failed. */
  record Decision(RetryState state, long backoffMillis) {
    boolean retry() {
      return state == RetryState.RETRY_STATE_IN_PROGRESS;
    }
  }

  private RetryPolicies() {}

  /** Fills in the defaults; rejects what Temporal rejects. */
  static RetryPolicy normalize(RetryPolicy policy) {
    long initial = Durations.toMillis(policy.getInitialInterval());
    long maximum = Durations.toMillis(policy.getMaximumInterval());
    if (initial < 0) {
      throw new InvalidArgumentException("InitialInterval cannot be negative on retry policy.");
    }
    if (policy.getBackoffCoefficient() != 0 && policy.getBackoffCoefficient() < 1) {
      throw new InvalidArgumentException("BackoffCoefficient cannot be less than 1 on retry policy.");
    }
    if (maximum < 0) {
      throw new InvalidArgumentException("MaximumInterval cannot be negative on retry policy.");
    }
    if (policy.getMaximumAttempts() < 0) {
      throw new InvalidArgumentException("MaximumAttempts cannot be negative on retry policy.");
    }
    if (initial == 0) {
      initial = DEFAULT_INITIAL_INTERVAL_MILLIS;
    }
    if (maximum == 0) {
      maximum = DEFAULT_MAXIMUM_INTERVAL_FACTOR * initial;
    }
    if (maximum < initial) {
      throw new InvalidArgumentException("MaximumInterval cannot be less than InitialInterval on retry policy.");
    }
    return policy.toBuilder()
        .setInitialInterval(Durations.fromMillis(initial))
        .setMaximumInterval(Durations.fromMillis(maximum))
        .setBackoffCoefficient(policy.getBackoffCoefficient() == 0 ? DEFAULT_BACKOFF_COEFFICIENT : policy.getBackoffCoefficient())
        .build();
  }

  /**
   * Decides whether attempt {@code attempt} (1-based, the one that just failed) is retried.
   *
   * @param failure what the attempt failed with (application failure or timeout)
   * @param expirationMillis absolute deadline from schedule-to-close; 0 when none
   */
  static Decision decide(RetryPolicy policy, int attempt, Failure failure, long nowMillis, long expirationMillis) {
    if (failure.hasApplicationFailureInfo()) {
      if (failure.getApplicationFailureInfo().getNonRetryable()
          || policy.getNonRetryableErrorTypesList().contains(failure.getApplicationFailureInfo().getType())) {
        return new Decision(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, 0);
      }
    }
    if (failure.hasTimeoutFailureInfo()
        && policy.getNonRetryableErrorTypesList().contains("TemporalTimeout:" + timeoutDisplayName(failure.getTimeoutFailureInfo().getTimeoutType()))) {
      return new Decision(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, 0);
    }
    if (failure.hasCanceledFailureInfo() || failure.hasTerminatedFailureInfo()) {
      return new Decision(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, 0);
    }
    if (policy.getMaximumAttempts() > 0 && attempt >= policy.getMaximumAttempts()) {
      return new Decision(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED, 0);
    }
    long backoff = backoffMillis(policy, attempt, failure);
    if (expirationMillis > 0 && nowMillis + backoff >= expirationMillis) {
      return new Decision(RetryState.RETRY_STATE_TIMEOUT, 0);
    }
    return new Decision(RetryState.RETRY_STATE_IN_PROGRESS, backoff);
  }

  /** initial × coefficient^(attempt−1), capped at the maximum; an explicit next_retry_delay wins, also capped. */
  static long backoffMillis(RetryPolicy policy, int attempt, Failure failure) {
    long maximum = Durations.toMillis(policy.getMaximumInterval());
    if (failure.hasApplicationFailureInfo() && failure.getApplicationFailureInfo().hasNextRetryDelay()) {
      Duration delay = failure.getApplicationFailureInfo().getNextRetryDelay();
      return Math.min(Math.max(0, Durations.toMillis(delay)), maximum);
    }
    double backoff = Durations.toMillis(policy.getInitialInterval()) * Math.pow(policy.getBackoffCoefficient(), attempt - 1);
    if (Double.isNaN(backoff) || backoff > maximum) {
      return maximum;
    }
    return (long) backoff;
  }

  /** The name Temporal uses in messages and in {@code TemporalTimeout:<name>} error types. */
  static String timeoutDisplayName(io.temporal.api.enums.v1.TimeoutType type) {
    return switch (type) {
      case TIMEOUT_TYPE_START_TO_CLOSE -> "StartToClose";
      case TIMEOUT_TYPE_SCHEDULE_TO_START -> "ScheduleToStart";
      case TIMEOUT_TYPE_SCHEDULE_TO_CLOSE -> "ScheduleToClose";
      case TIMEOUT_TYPE_HEARTBEAT -> "Heartbeat";
      case TIMEOUT_TYPE_UNSPECIFIED, UNRECOGNIZED -> "Unspecified";
    };
  }
}
