package dev.hourglass.engine.history;

import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.TimeoutFailureInfo;

/** Failures the server itself raises, in the shapes Temporal gives them. */
final class Failures {
  private Failures() {}

  /**
   * An activity timeout: {@code "activity StartToClose timeout"} with the timeout type and the last
   * heartbeat details, caused by the previous attempt's failure when there was one.
   */
  static Failure activityTimeout(TimeoutType type, Payloads lastHeartbeatDetails, Failure lastFailure) {
    TimeoutFailureInfo.Builder info = TimeoutFailureInfo.newBuilder().setTimeoutType(type);
    if (lastHeartbeatDetails != null) {
      info.setLastHeartbeatDetails(lastHeartbeatDetails);
    }
    Failure.Builder failure = Failure.newBuilder()
        .setMessage("activity " + RetryPolicies.timeoutDisplayName(type) + " timeout")
        .setSource("Server")
        .setTimeoutFailureInfo(info);
    if (lastFailure != null) {
      failure.setCause(lastFailure);
    }
    return failure.build();
  }

  /** The retry budget (schedule-to-close) does not leave time for another attempt. */
  static Failure retryBudgetExhausted(Payloads lastHeartbeatDetails, Failure lastFailure) {
    return activityTimeout(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE, lastHeartbeatDetails, lastFailure).toBuilder()
        .setMessage("Not enough time to schedule next retry before activity ScheduleToClose timeout, giving up retrying")
        .build();
  }

  static Failure workflowTaskTimeout() {
    return Failure.newBuilder()
        .setMessage("workflow task StartToClose timeout")
        .setSource("Server")
        .setTimeoutFailureInfo(TimeoutFailureInfo.newBuilder().setTimeoutType(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE))
        .build();
  }
}
