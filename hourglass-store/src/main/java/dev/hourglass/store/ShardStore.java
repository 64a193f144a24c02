package dev.hourglass.store;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Shard leases and cluster membership. The range id is the fencing token every execution write is
 * checked against; the lease expiry says until when its holder may keep using the shards, so
 * another process knows when it may take them (see docs/architecture.md, "Cluster").
 */
public interface ShardStore {
  /** The shard count this database was created with; set on first use and fixed after. */
  int shardCount(int requestedShardCount);

  /**
   * Takes the shard for {@code owner} whoever holds it, moving its range id on; returns the new
   * range id. For a store only one process can open (SQLite's file lock) and for tests.
   */
  long acquireShard(int shardId, String owner);

  /**
   * Takes all {@code shardCount} shards for {@code owner} under new range ids with leases of
   * {@code ttl}, in one transaction — unless another owner's lease on any of them has not expired
   * yet, in which case nothing changes and the result is empty. Leases of {@code deadOwner} (a
   * holder known to be gone) count as expired.
   */
  Optional<Map<Integer, Long>> acquireExpiredLeases(String owner, int shardCount, Duration ttl, Optional<String> deadOwner);

  /**
   * Extends the leases {@code owner} holds under {@code rangeIds} to {@code ttl} from now; false
   * when any of them is no longer held under that range id (another process took it).
   */
  boolean renewLeases(String owner, Map<Integer, Long> rangeIds, Duration ttl);

  /** Ends the leases at once (a clean shutdown), so another process need not wait for them to expire. */
  void releaseLeases(String owner, Map<Integer, Long> rangeIds);

  /** Records that {@code memberId} is alive at {@code address}; forgets members silent for longer than {@code forgetAfter}. */
  void heartbeat(String memberId, String address, Duration forgetAfter);

  /** Removes the member's row (a clean shutdown). */
  void leave(String memberId);

  /** Members and leases, with the database's current time. */
  ClusterState clusterState();
}
