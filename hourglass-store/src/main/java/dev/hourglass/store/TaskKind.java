package dev.hourglass.store;

/** The two kinds of task queue Temporal has: one queue name can hold both. */
public enum TaskKind {
  WORKFLOW(0),
  ACTIVITY(1);

  private final int code;

  TaskKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static TaskKind fromCode(int code) {
    return switch (code) {
      case 0 -> WORKFLOW;
      case 1 -> ACTIVITY;
      default -> throw new IllegalArgumentException("unknown task kind " + code);
    };
  }
}
