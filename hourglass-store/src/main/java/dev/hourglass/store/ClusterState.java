package dev.hourglass.store;

import java.util.List;
import java.util.Optional;

/**
 * Members and shard leases as read from the database at {@code databaseNowMillis} (the database's
 * clock, which every time in them is on).
 */
public record ClusterState(List<ClusterMember> members, List<ShardLease> leases, long databaseNowMillis) {
  public ClusterState {
    members = List.copyOf(members);
    leases = List.copyOf(leases);
  }

  /** The owner of a lease that has not expired yet, if any (with one active process, all leases have one owner). */
  public Optional<ShardLease> liveLease() {
    return leases.stream().filter(lease -> lease.expiresAtMillis() > databaseNowMillis).findFirst();
  }

  /** Members whose last heartbeat is at most {@code deadAfterMillis} old. */
  public List<ClusterMember> liveMembers(long deadAfterMillis) {
    return members.stream().filter(member -> databaseNowMillis - member.heartbeatAtMillis() <= deadAfterMillis).toList();
  }
}
