package dev.hourglass.engine.history;

import io.temporal.api.history.v1.NexusOperationScheduledEventAttributes;

/**
 * One Nexus operation this run scheduled and has not yet seen end. The request to the handler
 * (start, later cancel) is a task in the endpoint's Nexus task queue; a handler error that may be
 * retried sends it again after a backoff, with the next attempt number, so that an answer to an
 * older attempt is ignored.
 */
final class NexusOperationInfo {
  long scheduledEventId;
  /** The scheduled event's attributes, with the timeouts as capped at schedule. */
  NexusOperationScheduledEventAttributes attributes;
  String endpointTaskQueue = "";
  /** The namespace of the endpoint's task queue (the caller's, or another of this server). */
  String endpointNamespaceId = "";
  long scheduledTimeMillis;
  /** Attempt of the request in flight (start, or cancel once requested). */
  int attempt = 1;
  /** Backlog task id of the start request while it waits in the queue or runs; 0 otherwise. */
  long startTaskId;
  /** Set once the handler answered that the operation started asynchronously. */
  boolean started;
  String operationToken = "";
  /** Timer rows guarding the operation; 0 when not armed. */
  long scheduleToCloseTimerId;
  long scheduleToStartTimerId;
  long startToCloseTimerId;
  /** The handler must answer the request in flight by this timer. */
  long requestTimeoutTimerId;
  /** A retryable handler error: the request is sent again when this timer fires. */
  long retryTimerId;
  /** NexusOperationCancelRequested's id once the workflow asked to cancel; 0 before. */
  long cancelRequestedEventId;
  /** Backlog task id of the cancel request while it waits or runs; 0 otherwise. */
  long cancelTaskId;
  int cancelAttempt = 1;
  long cancelRequestTimeoutTimerId;
  long cancelRetryTimerId;
  /** The last failed attempt of the start request (describe shows them); null before any failed. */
  io.temporal.api.failure.v1.Failure lastAttemptFailure;
  long lastAttemptCompleteTimeMillis;
  /** When the start request is sent again, while backing off; 0 otherwise. */
  long nextAttemptTimeMillis;
}
