package dev.hourglass.common;

/**
 * The workflow cannot take the request now but will (Temporal's ErrWorkflowClosing): RESOURCE_EXHAUSTED
 * with cause BUSY_WORKFLOW, which clients retry.
 */
public class WorkflowBusyException extends ResourceExhaustedException {
  public WorkflowBusyException(String message) {
    super(message);
  }
}
