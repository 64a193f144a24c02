package dev.hourglass.engine.history;

/**
 * What a timer row is for. The code is stored; never renumber. {@code eventId} in the row is the
 * event (or, for workflow tasks, the task id) the timer guards and {@code attempt} the attempt.
 */
enum TimerKind {
  USER_TIMER(1),
  ACTIVITY_SCHEDULE_TO_START(2),
  ACTIVITY_SCHEDULE_TO_CLOSE(3),
  ACTIVITY_START_TO_CLOSE(4),
  ACTIVITY_HEARTBEAT(5),
  ACTIVITY_RETRY(6),
  WORKFLOW_TASK_START_TO_CLOSE(7),
  WORKFLOW_TASK_SCHEDULE_TO_START(8),
  WORKFLOW_RUN_TIMEOUT(9),
  // Code 10 is retired (it named a workflow task retry timer that was never written): do not reuse.
  // Transfer tasks: immediate work that reaches another execution (see CrossExecutionTasks). They
  // are timer rows due at once, so they survive a crash like any timer and fire after a restart.
  // Codes 11-19.
  START_CHILD_WORKFLOW(11),
  RECORD_CHILD_COMPLETION(12),
  SIGNAL_EXTERNAL_WORKFLOW(13),
  CANCEL_EXTERNAL_WORKFLOW(14),
  APPLY_PARENT_CLOSE_POLICY(15),
  // Schedules (see Schedules): the next nominal time, the starts it decided, a started workflow closed.
  SCHEDULE_NEXT_ACTION(16),
  SCHEDULE_ACT(17),
  SCHEDULE_WORKFLOW_CLOSED(18),
  /** A run started by a Nexus handler closed: its calling operations get the outcome (see NexusOperations). */
  NEXUS_COMPLETION_CALLBACK(19),
  // Codes 20-29: retries, cron and start delay.
  /** The first workflow task of a run waits for its backoff (retry, cron, start delay). */
  WORKFLOW_BACKOFF(20),
  // Codes 30-39: Nexus operations (see NexusOperations); eventId is the scheduled event id.
  NEXUS_SCHEDULE_TO_CLOSE(30),
  NEXUS_SCHEDULE_TO_START(31),
  NEXUS_START_TO_CLOSE(32),
  /** The handler did not answer the start request in time: it is retried. */
  NEXUS_REQUEST_TIMEOUT(33),
  /** The backoff after a retryable handler error is over: the start request is sent again. */
  NEXUS_RETRY(34),
  NEXUS_CANCEL_REQUEST_TIMEOUT(35),
  NEXUS_CANCEL_RETRY(36);

  private final int code;

  TimerKind(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }

  /** Whether firing it changes another execution (and so is applied outside this one's lock). */
  boolean crossesExecutions() {
    return code >= 11 && code <= 19;
  }

  static TimerKind fromCode(int code) {
    for (TimerKind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown timer kind " + code);
  }
}
