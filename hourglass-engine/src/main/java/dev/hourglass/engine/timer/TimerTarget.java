package dev.hourglass.engine.timer;

import dev.hourglass.store.TimerRecord;

/** Where a due timer goes: the history engine, which decides whether it still matters. */
@FunctionalInterface
public interface TimerTarget {
  /**
   * Handles a due timer; must delete its row in the transaction that applies it (or leave it to
   * fire again after a failure), unless it answers {@link Fired#EXECUTION_GONE}.
   */
  Fired fire(TimerRecord timer);

  /** What became of a fired timer. */
  enum Fired {
    /** Applied (or found moot) in a change of its execution, which deleted the row. */
    HANDLED,
    /**
     * Its execution no longer exists (retention, DeleteWorkflowExecution): nothing could delete
     * the row in a change of the execution, so the queue deletes it, or it would fire again after
     * every restart.
     */
    EXECUTION_GONE
  }
}
