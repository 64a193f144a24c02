package dev.hourglass.engine.matching;

import dev.hourglass.common.ExecutionKey;

/**
 * Where the delete of a backlog task's row is fenced: a task belongs to the shard of its
 * execution, and only the process holding that shard may delete it (as it may write the
 * execution). Matching knows task queues, not shards: the engine of the term answers.
 */
@FunctionalInterface
public interface BacklogFencing {
  /** The shard of an execution and the range id this process holds it under. */
  record Fence(int shardId, long rangeId) {}

  /** @throws dev.hourglass.common.UnavailableException once this process no longer owns the execution's shard */
  Fence fence(ExecutionKey execution);
}
