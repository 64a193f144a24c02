package dev.hourglass.common;

/**
 * This process no longer owns the shard it tried to write (another process took the lease: its
 * range id moved on). Internal: surfaced to clients at most as UNAVAILABLE.
 */
public final class ShardOwnershipLostException extends HourglassException {
  private final int shardId;

  public ShardOwnershipLostException(int shardId, String message) {
    super(message);
    this.shardId = shardId;
  }

  public int shardId() {
    return shardId;
  }
}
