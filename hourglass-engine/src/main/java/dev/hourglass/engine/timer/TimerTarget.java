package dev.hourglass.engine.timer;

import dev.hourglass.store.TimerRecord;

/** Where a due timer goes: the history engine, which decides whether it still matters. */
@FunctionalInterface
public interface TimerTarget {
  /** Handles a due timer; must delete its row (or leave it to fire again after a failure). */
  void fire(TimerRecord timer);
}
