package dev.hourglass.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The durable backlog of task queues (rows are written by {@link ExecutionStore#write}). */
public interface TaskStore {
  /** The oldest backlog tasks of one queue, by task id. */
  List<TaskRecord> readTasks(String namespaceId, String taskQueue, TaskKind kind, int limit);

  /**
   * How many tasks of {@code kind} wait in the backlogs of every queue, counted up to {@code cap}
   * (a backlog of millions is not worth a full scan to report "more than {@code cap}").
   */
  long countTasks(TaskKind kind, long cap);

  /**
   * Queues a delete of tasks nobody wants any more (their execution moved on), all of executions
   * of shard {@code shardId}. Fenced like every write of the shard: fails with
   * {@code ShardOwnershipLostException}, deleting nothing, when the shard's range id moved on from
   * {@code rangeId} (another process owns its executions' tasks now).
   */
  CompletableFuture<Void> deleteTasks(long rangeId, int shardId, List<TaskKey> keys);
}
