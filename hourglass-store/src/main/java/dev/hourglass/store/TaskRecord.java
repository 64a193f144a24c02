package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ExecutionKey;

/**
 * A workflow, activity or Nexus task waiting in a task queue's durable backlog. It names the
 * execution and the event that scheduled it; the row lives until the task is started (or the
 * execution no longer wants it), in the same transactions as the execution's state.
 *
 * @param queueNamespaceId the namespace of the task queue: the execution's, except for a Nexus
 *     operation's request, which waits in its endpoint's namespace
 */
public record TaskRecord(String taskQueue, TaskKind kind, long taskId, ExecutionKey execution, long scheduledEventId, long createTimeMillis,
    String queueNamespaceId) {
  public TaskRecord {
    requireNonNull(taskQueue, "taskQueue is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(execution, "execution is null");
    requireNonNull(queueNamespaceId, "queueNamespaceId is null");
  }

  /** A task queued in its execution's namespace. */
  public TaskRecord(String taskQueue, TaskKind kind, long taskId, ExecutionKey execution, long scheduledEventId, long createTimeMillis) {
    this(taskQueue, kind, taskId, execution, scheduledEventId, createTimeMillis, execution.namespaceId());
  }

  public TaskKey key() {
    return new TaskKey(queueNamespaceId, taskQueue, kind, taskId);
  }
}
