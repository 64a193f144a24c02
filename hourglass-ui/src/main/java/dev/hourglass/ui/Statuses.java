package dev.hourglass.ui;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.List;

/** Workflow statuses in the words and colours of the pages, and in the list filter's spelling. */
final class Statuses {
  /** The statuses a person filters on, in the order the counts show them. */
  static final List<WorkflowExecutionStatus> SHOWN = List.of(
      WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
      WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
      WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED,
      WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED,
      WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
      WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
      WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT);

  private Statuses() {}

  /** As the list filter spells it: {@code Running}, {@code ContinuedAsNew}, {@code TimedOut}. */
  static String name(WorkflowExecutionStatus status) {
    return switch (status) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING -> "Running";
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> "Completed";
      case WORKFLOW_EXECUTION_STATUS_FAILED -> "Failed";
      case WORKFLOW_EXECUTION_STATUS_CANCELED -> "Canceled";
      case WORKFLOW_EXECUTION_STATUS_TERMINATED -> "Terminated";
      case WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> "ContinuedAsNew";
      case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> "TimedOut";
      default -> "Unknown";
    };
  }

  /** The CSS class of its badge: green running, blue completed, red failed or timed out, grey the rest. */
  static String cssClass(WorkflowExecutionStatus status) {
    return "status-" + name(status).toLowerCase(java.util.Locale.ROOT);
  }

  static Status of(WorkflowExecutionStatus status) {
    return new Status(name(status), label(status), cssClass(status));
  }

  /** As a person reads it: {@code Continued as new}, {@code Timed out}. */
  static String label(WorkflowExecutionStatus status) {
    return switch (status) {
      case WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> "Continued as new";
      case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> "Timed out";
      default -> name(status);
    };
  }

  /** A badge: {@code name} for filters, {@code label} for people, {@code css} for colour. */
  record Status(String name, String label, String css) {}
}
