package dev.hourglass.engine.history;

import com.google.protobuf.util.Timestamps;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;

/**
 * Whether a failed or timed-out run is retried, by the workflow's retry policy (Temporal's
 * RetryOptions on WorkflowOptions): the attempt, non-retryable failures, backoff, and the
 * execution timeout as the deadline of the whole chain. Without a retry policy a run is never
 * retried (RETRY_POLICY_NOT_SET), as in Temporal. Pure functions.
 */
final class WorkflowRetries {
  private WorkflowRetries() {}

  static RetryPolicies.Decision decide(MutableState state, Failure failure, long nowMillis) {
    WorkflowExecutionStartedEventAttributes attributes = state.startedAttributes;
    if (!attributes.hasRetryPolicy()) {
      return new RetryPolicies.Decision(RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET, 0);
    }
    return RetryPolicies.decide(RetryPolicies.normalize(attributes.getRetryPolicy()), Math.max(1, attributes.getAttempt()), failure,
        nowMillis, expirationMillis(state));
  }

  /** When the workflow execution timeout ends the chain (epoch millis); 0 when it has none. */
  static long expirationMillis(MutableState state) {
    WorkflowExecutionStartedEventAttributes attributes = state.startedAttributes;
    return attributes.hasWorkflowExecutionExpirationTime() ? Timestamps.toMillis(attributes.getWorkflowExecutionExpirationTime()) : 0;
  }

  static boolean expired(MutableState state, long nowMillis) {
    long expiration = expirationMillis(state);
    return expiration > 0 && nowMillis >= expiration;
  }
}
