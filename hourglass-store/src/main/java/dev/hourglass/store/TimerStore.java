package dev.hourglass.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Durable timers of a shard, read by fire time (rows are written by {@link ExecutionStore#write}). */
public interface TimerStore {
  /**
   * Timers of the shard firing before {@code beforeMillis}, after the cursor position
   * {@code (afterFireTimeMillis, afterTimerId)} in (fire time, id) order.
   */
  List<TimerRecord> readTimers(int shardId, long afterFireTimeMillis, long afterTimerId, long beforeMillis, int limit);

  /**
   * Queues a delete of timers that fired into an execution that no longer needed them. Fenced like
   * every write of the shard: fails with {@code ShardOwnershipLostException}, deleting nothing,
   * when the shard's range id moved on from {@code rangeId} (another process owns its rows now).
   */
  CompletableFuture<Void> deleteTimers(long rangeId, int shardId, List<Long> timerIds);
}
