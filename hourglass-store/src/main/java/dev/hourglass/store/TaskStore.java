package dev.hourglass.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The durable backlog of task queues (rows are written by {@link ExecutionStore#write}). */
public interface TaskStore {
  /** The oldest backlog tasks of one queue, by task id. */
  List<TaskRecord> readTasks(String namespaceId, String taskQueue, TaskKind kind, int limit);

  /** Queues a delete of tasks nobody wants any more (their execution moved on). */
  CompletableFuture<Void> deleteTasks(List<TaskKey> keys);
}
