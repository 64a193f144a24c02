package dev.hourglass.engine.shard;

import dev.hourglass.common.UnavailableException;
import dev.hourglass.engine.timer.TimerQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this process holds of one shard: its lease (range id, the fencing token every write of
 * the shard's executions is checked against) and the ids it hands out. Created by the
 * {@link ShardController} when it acquires the shard.
 *
 * <p>Ids are {@code rangeId << 40 | shardId << 30 | sequence}: unique across shards and across
 * lease holders without a database round trip, because a new holder always has a larger range id.
 */
public final class ShardContext {
  private static final long MAX_SEQUENCE = (1L << 30) - 1;

  private final int shardId;
  private final long rangeId;
  private final AtomicLong sequence = new AtomicLong();
  private final TimerQueue timerQueue;
  /** Set when this process's lease ended: from then on no write is computed under this range id. */
  private volatile boolean lost;

  public ShardContext(int shardId, long rangeId, TimerQueue timerQueue) {
    if (rangeId >= (1L << 23)) {
      throw new IllegalStateException("range id " + rangeId + " of shard " + shardId + " exceeds the id space");
    }
    this.shardId = shardId;
    this.rangeId = rangeId;
    this.timerQueue = timerQueue;
  }

  public int shardId() {
    return shardId;
  }

  /**
   * The range id writes are computed under.
   *
   * @throws UnavailableException once the lease ended: this process must not write the shard
   *     any more (the store would fence the write anyway, once another process took the shard)
   */
  public long rangeId() {
    if (lost) {
      throw new UnavailableException("shard " + shardId + " is no longer owned by this Hourglass process (its lease ended); "
          + "retry: another process takes it over");
    }
    return rangeId;
  }

  /** Stops handing out the range id: called when the lease ends, before the engine is torn down. */
  void markLost() {
    lost = true;
  }

  public TimerQueue timerQueue() {
    return timerQueue;
  }

  /** A new id for a task or timer row of this shard. */
  public long nextId() {
    long next = sequence.incrementAndGet();
    if (next > MAX_SEQUENCE) {
      // A billion ids under one lease: the process must take a new lease (restart) to go on.
      throw new IllegalStateException("shard " + shardId + " ran out of ids under range " + rangeId);
    }
    return (rangeId << 40) | ((long) shardId << 30) | next;
  }
}
