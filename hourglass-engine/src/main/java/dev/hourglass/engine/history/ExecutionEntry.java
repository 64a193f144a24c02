package dev.hourglass.engine.history;

import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.List;
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
  /**
   * The newest committed events, consecutive and ending at {@code state.nextEventId - 1}: what a
   * sticky worker's next task and the close-event long poll need, served without reading the
   * store. Bounded by {@link #MAX_RECENT_BYTES}. Guarded by lock.
   */
  private final List<HistoryEvent> recentEvents = new ArrayList<>();
  private int recentBytes;

  /** Keeps a few KiB per cached execution: thousands of entries stay within tens of MiB. */
  static final int MAX_RECENT_BYTES = 8 * 1024;

  void invalidate() {
    state = null;
    dbVersion = 0;
    recentEvents.clear();
    recentBytes = 0;
  }

  /** Called after a commit that appended {@code events}. */
  void appendCommitted(List<HistoryEvent> events) {
    for (HistoryEvent event : events) {
      recentEvents.add(event);
      recentBytes += event.getSerializedSize();
    }
    // A closed run is asked for its close event only (getResult): keep just that, so cached closed
    // workflows cost a few hundred bytes each.
    int keep = state != null && !state.running() ? 1 : Integer.MAX_VALUE;
    while ((recentBytes > MAX_RECENT_BYTES || recentEvents.size() > keep) && !recentEvents.isEmpty()) {
      recentBytes -= recentEvents.remove(0).getSerializedSize();
    }
  }

  /** Committed events {@code from..to} if all are held here; null otherwise. */
  List<HistoryEvent> recent(long from, long to) {
    if (recentEvents.isEmpty() || from > to) {
      return from > to ? List.of() : null;
    }
    long first = recentEvents.get(0).getEventId();
    long last = recentEvents.get(recentEvents.size() - 1).getEventId();
    if (from < first || to > last) {
      return null;
    }
    return List.copyOf(recentEvents.subList((int) (from - first), (int) (to - first) + 1));
  }
}
