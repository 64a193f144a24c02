package dev.hourglass.engine.history;

import dev.hourglass.common.ExecutionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Long polls on an execution's history ({@code GetWorkflowExecutionHistory} with
 * {@code wait_new_event}): callers register a callback, commits that append events run them.
 * A callback runs once; a caller that still waits registers again.
 */
final class HistoryWatchers {
  private final Map<ExecutionKey, List<Runnable>> watchers = new ConcurrentHashMap<>();

  void watch(ExecutionKey key, Runnable onChange) {
    watchers.compute(key, (k, list) -> {
      List<Runnable> updated = list == null ? new ArrayList<>() : list;
      updated.add(onChange);
      return updated;
    });
  }

  void remove(ExecutionKey key, Runnable onChange) {
    watchers.computeIfPresent(key, (k, list) -> {
      list.remove(onChange);
      return list.isEmpty() ? null : list;
    });
  }

  void notifyChanged(ExecutionKey key) {
    List<Runnable> list = watchers.remove(key);
    if (list != null) {
      list.forEach(Runnable::run);
    }
  }
}
