package dev.hourglass.server.cluster;

import java.time.Duration;

/**
 * Timing of membership and shard leases on a shared database.
 *
 * @param leaseTtl how long a lease lasts after each renewal: another process may take the shards
 *     only once it expired, so this is the bulk of a failover after a crash
 * @param heartbeatInterval how often a process heartbeats, renews its leases (when active) or
 *     looks for expired ones (when standby)
 * @param selfFenceMargin how long before its lease could expire (counted from when the last
 *     successful renewal was sent) the active process stops using the shards when it could not
 *     renew them: room for the engine's teardown and for clocks that run at slightly different rates
 * @param memberDeadAfter a member whose last heartbeat is older than this is no longer listed
 */
public record LeaseSettings(Duration leaseTtl, Duration heartbeatInterval, Duration selfFenceMargin, Duration memberDeadAfter) {
  public LeaseSettings {
    if (heartbeatInterval.compareTo(leaseTtl.minus(selfFenceMargin)) >= 0) {
      throw new IllegalArgumentException("the heartbeat interval must be shorter than the lease TTL minus the margin, "
          + "or every lease would end before its renewal");
    }
  }

  /**
   * 5 s leases renewed every second: a renewal may fail three times in a row (a database
   * restarting, a long GC pause) before the process gives the shards up at 3.5 s, and a crashed
   * process's shards move within about 6 s (expiry plus one standby tick).
   */
  public static LeaseSettings defaults() {
    return new LeaseSettings(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(1500), Duration.ofSeconds(5));
  }
}
