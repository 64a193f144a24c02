package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

/**
 * A shard's row: who holds it, under which range id (the fencing token), until when.
 *
 * @param expiresAtMillis on the database's clock; 0 for a lease that never expires by itself
 *     (the embedded store, one process per file) or that its holder released
 */
public record ShardLease(int shardId, String owner, long rangeId, long expiresAtMillis) {
  public ShardLease {
    requireNonNull(owner, "owner is null");
  }
}
