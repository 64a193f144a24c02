package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Everything one state change of one execution writes, applied in one transaction or not at all:
 * the new execution row, the current-run row, appended history, backlog tasks and timers created
 * and deleted, and the visibility rows of the runs whose listed attributes changed.
 *
 * @param rangeId the shard lease this write was computed under; a write under an older lease fails
 * @param expectedDbVersion the version the change was computed from; 0 when the row must not exist
 */
public record ExecutionWrite(
    long rangeId,
    ExecutionRecord execution,
    long expectedDbVersion,
    Optional<CurrentExecutionWrite> current,
    List<HistoryBatch> history,
    List<TaskRecord> newTasks,
    List<TaskKey> deletedTasks,
    List<TimerRecord> newTimers,
    List<Long> deletedTimerIds,
    Optional<NewRunWrite> newRun,
    List<VisibilityRecord> visibility) {
  public ExecutionWrite(long rangeId, ExecutionRecord execution, long expectedDbVersion, Optional<CurrentExecutionWrite> current,
      List<HistoryBatch> history, List<TaskRecord> newTasks, List<TaskKey> deletedTasks, List<TimerRecord> newTimers,
      List<Long> deletedTimerIds) {
    this(rangeId, execution, expectedDbVersion, current, history, newTasks, deletedTasks, newTimers, deletedTimerIds, Optional.empty(),
        List.of());
  }

  public ExecutionWrite {
    requireNonNull(newRun, "newRun is null");
    requireNonNull(execution, "execution is null");
    requireNonNull(current, "current is null");
    history = List.copyOf(history);
    newTasks = List.copyOf(newTasks);
    deletedTasks = List.copyOf(deletedTasks);
    newTimers = List.copyOf(newTimers);
    deletedTimerIds = List.copyOf(deletedTimerIds);
    visibility = List.copyOf(visibility);
    if (execution.dbVersion() != expectedDbVersion + 1) {
      throw new IllegalArgumentException("new dbVersion must be expectedDbVersion + 1");
    }
  }
}
