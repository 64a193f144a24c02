package dev.hourglass.store;

/** The kinds of task queue Temporal has: one queue name can hold all three. */
public enum TaskKind {
  WORKFLOW(0),
  ACTIVITY(1),
  /** Nexus operation requests (start or cancel) for a handler worker. */
  NEXUS(2);

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
      case 2 -> NEXUS;
      default -> throw new IllegalArgumentException("unknown task kind " + code);
    };
  }
}
