package dev.hourglass.timers.workflow;

import static java.util.Objects.requireNonNull;

/**
 * A timer as its workflow sees it: the {@code getState} query's answer, and the workflow's result
 * (or its failure's details) once it has fired or failed.
 *
 * @param status where the timer is
 * @param deadline the deadline in epoch milliseconds
 * @param attempts webhook calls made so far (0 until it fires)
 * @param lastError why the last failed call failed, or null
 */
public record TimerState(TimerStatus status, long deadline, int attempts, String lastError) {
  public TimerState {
    requireNonNull(status, "status is null");
  }
}
