package dev.hourglass.server.management;

import static java.util.Objects.requireNonNull;

import dev.hourglass.server.cluster.ClusterMembership;
import dev.hourglass.store.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether this server can do its work now: the store answers a trivial query within a short
 * timeout, and the server owns the shards or (a standby of a cluster) knows the active process to
 * forward calls to; during a failover, when no process owns them, it is not ready. Answers {@code GET /health/ready} and drives the gRPC
 * health service's status.
 */
public final class Readiness {
  /** Longer than a healthy database's answer by far, shorter than a load balancer's probe timeout. */
  static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);

  private final Database database;
  private final ClusterMembership membership;

  public Readiness(Database database, ClusterMembership membership) {
    this.database = requireNonNull(database, "database is null");
    this.membership = requireNonNull(membership, "membership is null");
  }

  public Report check() {
    List<String> problems = new ArrayList<>();
    Optional<String> store = database.checkHealth(STORE_TIMEOUT);
    store.ifPresent(problem -> problems.add("store: " + problem));
    int shardCount = membership.shardCount();
    int owned = membership.ownsShards() ? shardCount : 0;
    if (owned == 0 && membership.view().forwardTarget().isEmpty()) {
      problems.add("shards: no Hourglass process owns the " + shardCount + " shards (failover in progress)");
    }
    return new Report(problems.isEmpty(), problems, owned, shardCount);
  }

  /**
   * @param problems why the server is not ready, one line each; empty when it is
   */
  public record Report(boolean ready, List<String> problems, int shardsOwned, int shardCount) {
    public Report {
      problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }

    /** Before the store and shards are up. */
    static Report starting() {
      return new Report(false, List.of("the server is starting"), 0, 0);
    }
  }
}
