package dev.hourglass.engine.shard;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.UnavailableException;
import dev.hourglass.common.WorkflowKey;
import dev.hourglass.engine.timer.TimerQueue;
import dev.hourglass.engine.timer.TimerQueueConfig;
import dev.hourglass.engine.timer.TimerTarget;
import dev.hourglass.store.ShardStore;
import dev.hourglass.store.TimerStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acquires the shards this process serves and routes each workflow to its shard. In embedded
 * mode (one process per database, enforced by the store's file lock) it takes every shard at
 * start, each under a fresh range id, so writes computed by an earlier holder can never land.
 */
public final class ShardController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardController.class);

  private final int shardCount;
  private final List<ShardContext> shards;

  public ShardController(ShardStore shardStore, TimerStore timerStore, int requestedShardCount, String owner, Clock clock,
      TimerTarget timerTarget, ExecutorService timerFiringExecutor, TimerQueueConfig timerConfig, MeterRegistry metrics) {
    requireNonNull(shardStore, "shardStore is null");
    Counter acquisitions = Counter.builder("shard_acquisitions").description("Shards this process acquired (took ownership of)")
        .register(metrics);
    this.shardCount = shardStore.shardCount(requestedShardCount);
    if (shardCount != requestedShardCount) {
      log.atInfo().addKeyValue("shardCount", shardCount)
          .log("using the shard count this database was created with");
    }
    this.shards = IntStream.range(0, shardCount)
        .mapToObj(shardId -> {
          long rangeId = shardStore.acquireShard(shardId, owner);
          acquisitions.increment();
          TimerQueue timers = new TimerQueue(shardId, timerStore, clock, timerTarget, timerFiringExecutor, timerConfig, metrics);
          return new ShardContext(shardId, rangeId, timers);
        })
        .toList();
    log.atInfo().addKeyValue("shardCount", shardCount).addKeyValue("owner", owner).log("shards acquired");
  }

  /** Starts firing timers; call once the engine can take them. */
  public void start() {
    shards.forEach(shard -> shard.timerQueue().start());
  }

  public int shardCount() {
    return shardCount;
  }

  /** Shards this process owns now, for readiness. */
  public int ownedShardCount() {
    return shards.size();
  }

  /** Every owned shard's timer queue reads its window again (after a store outage, see {@link TimerQueue#rescan}). */
  public void rescanTimers() {
    shards.forEach(shard -> shard.timerQueue().rescan());
  }

  public ShardContext shardFor(WorkflowKey workflow) {
    return shard(workflow.shardId(shardCount));
  }

  public ShardContext shard(int shardId) {
    if (shardId < 0 || shardId >= shards.size()) {
      throw new UnavailableException("shard " + shardId + " is not owned by this process");
    }
    return shards.get(shardId);
  }

  @Override
  public void close() {
    shards.forEach(shard -> shard.timerQueue().close());
  }
}
