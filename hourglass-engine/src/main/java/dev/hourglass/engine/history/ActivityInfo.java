package dev.hourglass.engine.history;

import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;

/**
 * One pending activity. Retries happen inside this record (attempt, next schedule time) without
 * history events, as in Temporal: history shows the scheduled event and, at the end, the started
 * event of the last attempt and its outcome.
 */
final class ActivityInfo {
  long scheduledEventId;
  String activityId = "";
  /** The scheduled event's attributes with timeouts and retry policy already normalized. */
  ActivityTaskScheduledEventAttributes attributes;
  long scheduledTimeMillis;
  int attempt = 1;
  long currentAttemptScheduledTimeMillis;
  /** 0 while the current attempt waits in the task queue (or for its retry backoff). */
  long startedTimeMillis;
  String startedIdentity = "";
  String startedRequestId = "";
  Payloads heartbeatDetails;
  long lastHeartbeatTimeMillis;
  Failure lastFailure;
  String lastWorkerIdentity = "";
  boolean cancelRequested;
  /** Backlog task id of the current attempt while it waits in the queue; 0 otherwise. */
  long taskId;
  long cancelRequestedEventId;
  /** Timer rows guarding this activity; 0 when not armed. Deleted when the activity closes. */
  long scheduleToStartTimerId;
  long scheduleToCloseTimerId;
  long startToCloseTimerId;
  long heartbeatTimerId;
  long retryTimerId;
  /** When the next attempt will be dispatched, while waiting out a retry backoff; 0 otherwise. */
  long retryTimeMillis;

  boolean started() {
    return startedTimeMillis != 0;
  }
}
