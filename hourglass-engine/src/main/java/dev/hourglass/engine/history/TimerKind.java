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
  WORKFLOW_TASK_RETRY(10),
  // Codes 11-19: child workflows and external commands. 20-29: retries, cron and start delay.
  /** The first workflow task of a run waits for its backoff (retry, cron, start delay). */
  WORKFLOW_BACKOFF(20);

  private final int code;

  TimerKind(int code) {
    this.code = code;
  }

  int code() {
    return code;
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
