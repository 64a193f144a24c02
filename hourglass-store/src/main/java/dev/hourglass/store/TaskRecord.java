package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ExecutionKey;

/**
 * A workflow or activity task waiting in a task queue's durable backlog. It names the execution
 * and the event that scheduled it; the row lives until the task is started (or the execution no
 * longer wants it), in the same transactions as the execution's state.
 */
public record TaskRecord(String taskQueue, TaskKind kind, long taskId, ExecutionKey execution, long scheduledEventId, long createTimeMillis) {
  public TaskRecord {
    requireNonNull(taskQueue, "taskQueue is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(execution, "execution is null");
  }

  public TaskKey key() {
    return new TaskKey(execution.namespaceId(), taskQueue, kind, taskId);
  }
}
