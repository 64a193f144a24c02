package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

/**
 * One server process on a shared database, as its heartbeat row records it.
 *
 * @param memberId unique for the life of one process (a restarted process is a new member)
 * @param address host:port where other processes reach its gRPC frontend
 * @param startedAtMillis when it joined, on the database's clock
 * @param heartbeatAtMillis its last heartbeat, on the database's clock
 */
public record ClusterMember(String memberId, String address, long startedAtMillis, long heartbeatAtMillis) {
  public ClusterMember {
    requireNonNull(memberId, "memberId is null");
    requireNonNull(address, "address is null");
  }
}
