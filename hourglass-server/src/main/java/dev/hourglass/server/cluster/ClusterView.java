package dev.hourglass.server.cluster;

import static java.util.Objects.requireNonNull;

import dev.hourglass.store.ClusterMember;
import java.util.List;
import java.util.Optional;

/**
 * What this process last saw of the cluster.
 *
 * @param self this process's member id
 * @param members the live members (heartbeat recent), this one included
 * @param active the member whose live lease holds the shards, if any (this one when {@code selfActive})
 * @param selfActive whether this process holds the shards and serves them
 */
public record ClusterView(String self, List<ClusterMember> members, Optional<ClusterMember> active, boolean selfActive) {
  public ClusterView {
    requireNonNull(self, "self is null");
    members = List.copyOf(members);
    requireNonNull(active, "active is null");
  }

  /** The member another process should forward to: the active one when it is not this process. */
  public Optional<ClusterMember> forwardTarget() {
    return selfActive ? Optional.empty() : active.filter(member -> !member.memberId().equals(self));
  }
}
