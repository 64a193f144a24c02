package dev.hourglass.store;

/** Shard leases: the range id is the fencing token every execution write is checked against. */
public interface ShardStore {
  /** The shard count this database was created with; set on first use and fixed after. */
  int shardCount(int requestedShardCount);

  /** Takes the shard for {@code owner}, moving its range id on; returns the new range id. */
  long acquireShard(int shardId, String owner);
}
