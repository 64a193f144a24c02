package dev.hourglass.engine.history;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A cached execution: its mutable state and the store version it matches. The lock serializes
 * every change to the execution within this process; the version check in the store serializes
 * it against anything else (an entry evicted and reloaded meanwhile, another process).
 */
final class ExecutionEntry {
  final ReentrantLock lock = new ReentrantLock();
  /** Null until loaded, and again after a failed change (the next user reloads). Guarded by lock. */
  MutableState state;
  /** Store version {@link #state} corresponds to. Guarded by lock. */
  long dbVersion;

  void invalidate() {
    state = null;
    dbVersion = 0;
  }
}
