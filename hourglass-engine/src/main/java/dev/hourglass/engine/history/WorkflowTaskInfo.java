package dev.hourglass.engine.history;

/**
 * The pending workflow task of an execution (at most one). Attempt 1 writes its scheduled and
 * started events to history when they happen; later attempts (after a failure or timeout) are
 * "transient" as in Temporal: their scheduled/started events are only shown to the worker in the
 * poll response and written when the attempt completes, so a workflow task that keeps failing does
 * not grow the history.
 */
final class WorkflowTaskInfo {
  /** Backlog task id: the identity of this scheduling, checked when a poller picks the task up. */
  long taskId;
  int attempt = 1;
  String taskQueue = "";
  boolean sticky;
  /** Scheduled event id once written (attempt 1), 0 while transient. */
  long scheduledEventId;
  /** Started event id (real or, for a transient attempt, the id it will get); 0 while not started. */
  long startedEventId;
  long scheduledTimeMillis;
  long startedTimeMillis;
  String startedRequestId = "";
  String startedIdentity = "";
  /** Timer row guarding this task (schedule-to-start on sticky queues, then start-to-close); 0 if none. */
  long timeoutTimerId;

  /**
   * Scheduled only to deliver workflow updates (Temporal's speculative task): like a transient
   * attempt its events are written only when it completes, and not at all if the worker only
   * rejects updates.
   */
  boolean speculative;
  /** For a speculative task, the next event id when it was scheduled: events since then forbid dropping it. */
  long speculativeNextEventId;

  boolean started() {
    return startedTimeMillis != 0;
  }

  boolean isTransient() {
    return attempt > 1 || speculative;
  }
}
