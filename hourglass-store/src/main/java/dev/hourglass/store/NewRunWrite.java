package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A run created in the same transaction as the change that closed its predecessor
 * (continue-as-new): its row, first history batch, first tasks and timers.
 */
public record NewRunWrite(ExecutionRecord execution, List<HistoryBatch> history, List<TaskRecord> tasks, List<TimerRecord> timers) {
  public NewRunWrite {
    requireNonNull(execution, "execution is null");
    history = List.copyOf(history);
    tasks = List.copyOf(tasks);
    timers = List.copyOf(timers);
    if (execution.dbVersion() != 1) {
      throw new IllegalArgumentException("a new run starts at dbVersion 1");
    }
  }
}
