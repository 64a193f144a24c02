package dev.hourglass.engine.matching;

import dev.hourglass.store.TaskRecord;
import java.util.Optional;

/**
 * Records that a poller took a task (the history engine's "record task started"), returning the
 * poll response, or empty when the task is stale (its execution moved on: closed, timed out,
 * already started). Called on a matching executor thread, never while a queue lock is held.
 */
@FunctionalInterface
public interface TaskStarter<R> {
  Optional<R> tryStart(TaskRecord task, PollerInfo poller);
}
