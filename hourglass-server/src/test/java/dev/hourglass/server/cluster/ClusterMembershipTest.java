package dev.hourglass.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.server.EngineInstance;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.store.ClusterState;
import dev.hourglass.store.Database;
import dev.hourglass.store.ShardLease;
import dev.hourglass.store.ShardStore;
import dev.hourglass.store.sql.SqlStores;
import dev.hourglass.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two memberships in leased mode on one real store: the active one's renewals hang (as when its
 * database connection stalls), and it must stop using the shards before its lease can expire in
 * the database, after which the standby takes them.
 */
@Timeout(60)
class ClusterMembershipTest {
  private static final LeaseSettings FAST = new LeaseSettings(Duration.ofSeconds(4), Duration.ofMillis(300), Duration.ofSeconds(2),
      Duration.ofSeconds(4));
  private static final int SHARDS = 4;

  @TempDir Path directory;
  private Database database;
  private ClusterMembership first;
  private ClusterMembership second;

  @AfterEach
  void close() {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void anActiveProcessThatCannotRenewGivesTheShardsUpBeforeItsLeaseExpiresAndTheStandbyTakesThem() throws Exception {
    Path file = directory.resolve("cluster.db");
    database = SqlStores.open(new StoreConfig.Sqlite(file));
    ShardStore store = database.stores().shards();
    ServerOptions options = ServerOptions.defaults().withDbFile(file).withShardCount(SHARDS);
    Function<Map<Integer, Long>, EngineInstance> engines = rangeIds -> EngineInstance.start(database.stores(), options, rangeIds,
        Clock.systemUTC(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    HangingRenewals hanging = new HangingRenewals(store);

    first = ClusterMembership.leased(hanging, "first", SHARDS, FAST, engines);
    first.start("127.0.0.1:1", true);
    assertThat(first.ownsShards()).isTrue();
    second = ClusterMembership.leased(store, "second", SHARDS, FAST, engines);
    second.start("127.0.0.1:2", true);
    assertThat(second.ownsShards()).as("a live active process keeps the shards").isFalse();
    assertThat(second.view().active().orElseThrow().memberId()).isEqualTo("first");
    assertThat(second.view().forwardTarget().orElseThrow().address()).isEqualTo("127.0.0.1:1");

    hanging.hang();
    while (first.ownsShards()) {
      Thread.sleep(10);
    }
    ClusterState whenGivenUp = store.clusterState();
    Optional<ShardLease> lease = whenGivenUp.liveLease();
    assertThat(lease).as("the lease had not expired in the database when the process gave the shards up").isPresent();
    assertThat(lease.get().owner()).isEqualTo("first");
    assertThat(second.ownsShards()).isFalse();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!second.ownsShards() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(second.ownsShards()).as("the standby took the shards once the lease expired").isTrue();
    assertThat(store.clusterState().leases()).allMatch(shard -> shard.owner().equals("second"));

    hanging.release();
    Thread.sleep(FAST.heartbeatInterval().multipliedBy(5).toMillis());
    assertThat(first.ownsShards()).as("the old owner does not take the shards back from a live owner").isFalse();
    assertThat(first.view().active().orElseThrow().memberId()).isEqualTo("second");
  }

  @Test
  void aProcessRestartedOnTheAddressOfTheDeadHolderTakesTheShardsWithoutWaitingForTheLease() {
    Path file = directory.resolve("restart.db");
    database = SqlStores.open(new StoreConfig.Sqlite(file));
    ShardStore store = database.stores().shards();
    ServerOptions options = ServerOptions.defaults().withDbFile(file).withShardCount(SHARDS);
    Function<Map<Integer, Long>, EngineInstance> engines = rangeIds -> EngineInstance.start(database.stores(), options, rangeIds,
        Clock.systemUTC(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    // A process that held the shards on 127.0.0.1:7 and was killed: its lease and heartbeat are fresh.
    store.heartbeat("killed", "127.0.0.1:7", Duration.ofMinutes(10));
    store.acquireExpiredLeases("killed", SHARDS, Duration.ofMinutes(1), Optional.empty()).orElseThrow();

    first = ClusterMembership.leased(store, "elsewhere", SHARDS, FAST, engines);
    first.start("127.0.0.1:8", true);
    assertThat(first.ownsShards()).as("another address must wait for the lease").isFalse();
    second = ClusterMembership.leased(store, "restarted", SHARDS, FAST, engines);
    second.start("127.0.0.1:7", true);
    assertThat(second.ownsShards()).as("the dead holder's own address").isTrue();
  }

  /** The real store, except that once {@link #hang} was called lease renewals wait until {@link #release}. */
  private static final class HangingRenewals implements ShardStore {
    private final ShardStore delegate;
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();

    HangingRenewals(ShardStore delegate) {
      this.delegate = delegate;
    }

    void hang() {
      gate.set(new CountDownLatch(1));
    }

    void release() {
      gate.get().countDown();
    }

    @Override
    public boolean renewLeases(String owner, Map<Integer, Long> rangeIds, Duration ttl) {
      CountDownLatch latch = gate.get();
      if (latch != null) {
        try {
          latch.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return delegate.renewLeases(owner, rangeIds, ttl);
    }

    @Override
    public int shardCount(int requestedShardCount) {
      return delegate.shardCount(requestedShardCount);
    }

    @Override
    public long acquireShard(int shardId, String owner) {
      return delegate.acquireShard(shardId, owner);
    }

    @Override
    public Optional<Map<Integer, Long>> acquireExpiredLeases(String owner, int shardCount, Duration ttl, Optional<String> deadOwner) {
      return delegate.acquireExpiredLeases(owner, shardCount, ttl, deadOwner);
    }

    @Override
    public void releaseLeases(String owner, Map<Integer, Long> rangeIds) {
      delegate.releaseLeases(owner, rangeIds);
    }

    @Override
    public void heartbeat(String memberId, String address, Duration forgetAfter) {
      delegate.heartbeat(memberId, address, forgetAfter);
    }

    @Override
    public void leave(String memberId) {
      delegate.leave(memberId);
    }

    @Override
    public ClusterState clusterState() {
      return delegate.clusterState();
    }
  }
}
