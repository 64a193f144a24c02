package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

/** Primary key of a backlog task row. */
public record TaskKey(String namespaceId, String taskQueue, TaskKind kind, long taskId) {
  public TaskKey {
    requireNonNull(namespaceId, "namespaceId is null");
    requireNonNull(taskQueue, "taskQueue is null");
    requireNonNull(kind, "kind is null");
  }
}
