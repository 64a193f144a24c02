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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shards this process serves during one ownership term, and the route from a workflow to its
 * shard. The shards were acquired before (each under a fresh range id, so writes computed by an
 * earlier holder can never land): by the cluster's lease manager on a shared database, or all at
 * once by {@link #acquireAll} on a store only one process can open.
 */
public final class ShardController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardController.class);

  private final int shardCount;
  private final List<ShardContext> shards;
  private final Counter losses;

  /**
   * @param rangeIds the range id under which this process holds each shard, for every shard
   *     {@code 0 .. size - 1}
   */
  public ShardController(Map<Integer, Long> rangeIds, TimerStore timerStore, Clock clock, TimerTarget timerTarget,
      ExecutorService timerFiringExecutor, TimerQueueConfig timerConfig, MeterRegistry metrics) {
    requireNonNull(rangeIds, "rangeIds is null");
    Counter acquisitions = Counter.builder("shard_acquisitions").description("Shards this process acquired (took ownership of)")
        .register(metrics);
    this.losses = Counter.builder("shard_losses")
        .description("Shards this process stopped owning: taken by another process, a lease not renewed in time, or released at stop")
        .register(metrics);
    this.shardCount = rangeIds.size();
    this.shards = IntStream.range(0, shardCount)
        .mapToObj(shardId -> {
          Long rangeId = requireNonNull(rangeIds.get(shardId), () -> "no range id for shard " + shardId);
          acquisitions.increment();
          TimerQueue timers = new TimerQueue(shardId, rangeId, timerStore, clock, timerTarget, timerFiringExecutor, timerConfig, metrics);
          return new ShardContext(shardId, rangeId, timers);
        })
        .toList();
  }

  /**
   * Takes every shard, whoever held it, each under a new range id: for a store that one process
   * at a time can open (SQLite's file lock), where no other holder can be alive.
   */
  public static Map<Integer, Long> acquireAll(ShardStore shardStore, int requestedShardCount, String owner) {
    int shardCount = shardStore.shardCount(requestedShardCount);
    if (shardCount != requestedShardCount) {
      log.atInfo().addKeyValue("shardCount", shardCount).log("using the shard count this database was created with");
    }
    Map<Integer, Long> rangeIds = new TreeMap<>();
    for (int shardId = 0; shardId < shardCount; shardId++) {
      rangeIds.put(shardId, shardStore.acquireShard(shardId, owner));
    }
    log.atInfo().addKeyValue("shardCount", shardCount).addKeyValue("owner", owner).log("shards acquired");
    return rangeIds;
  }

  /** Starts firing timers; call once the engine can take them. */
  public void start() {
    shards.forEach(shard -> shard.timerQueue().start());
  }

  public int shardCount() {
    return shardCount;
  }

  /** Shards this process owns in this term, for readiness. */
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

  /** Stops every write under these leases at once, then stops the timer queues. */
  @Override
  public void close() {
    shards.forEach(ShardContext::markLost);
    losses.increment(shards.size());
    shards.forEach(shard -> shard.timerQueue().close());
  }
}
