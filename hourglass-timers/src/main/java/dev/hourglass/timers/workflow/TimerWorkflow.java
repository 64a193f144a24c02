package dev.hourglass.timers.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One webhook timer; its workflow id is the timer's id (a uuid v4). It sleeps until the deadline,
 * then calls the webhook once with retries. Names of the signal and the query are the original
 * service's, so its clients can signal and query our workflows unchanged.
 */
@WorkflowInterface
public interface TimerWorkflow {
  /** The workflow type name: what the API looks for when it describes an execution. */
  String TYPE = "TimerWorkflow";
  /** The query answering {@link #getState()}. */
  String QUERY_STATE = "getState";

  /**
   * Waits for the deadline and delivers the webhook.
   *
   * @return the final state (status {@code FIRED}); a failed delivery fails the workflow with an
   *     {@code ApplicationFailure} of type {@value TimerWorkflowImpl#DELIVERY_FAILED} whose details
   *     are the final state
   */
  @WorkflowMethod(name = TYPE)
  TimerState run(TimerSpec spec);

  /** Moves the deadline, earlier or later; ignored once the timer has started firing. */
  @SignalMethod(name = "setDeadline")
  void setDeadline(DeadlineChange change);

  /** The deadline in epoch milliseconds. */
  @QueryMethod(name = "getDeadline")
  long getDeadline();

  /** Status, deadline, attempts and last error. */
  @QueryMethod(name = QUERY_STATE)
  TimerState getState();
}
