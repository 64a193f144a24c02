package dev.hourglass.bench;

/** What each workflow of a {@code workflows} run does. */
enum WorkflowKind {
  /** Schedules one activity that returns its input: start, 2 workflow tasks, 1 activity task. */
  ACTIVITY("ActivityWorkflow"),
  /** Completes in its first workflow task: start, 1 workflow task. */
  EMPTY("EmptyWorkflow");

  private final String workflowType;

  WorkflowKind(String workflowType) {
    this.workflowType = workflowType;
  }

  /** The workflow type name the SDK registers for the interface (its simple name). */
  String workflowType() {
    return workflowType;
  }

  /** Lower-case name used on the command line and in the JSON line. */
  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
