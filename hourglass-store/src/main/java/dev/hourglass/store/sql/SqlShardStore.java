package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.store.ClusterMember;
import dev.hourglass.store.ClusterState;
import dev.hourglass.store.ShardLease;
import dev.hourglass.store.ShardStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link ShardStore} on SQL. Lease changes go through the writer like every other write, so they
 * are ordered with the shard's execution writes; a lease taken by one statement sequence under
 * {@code SELECT ... FOR UPDATE} cannot interleave with another process taking it at the same time.
 */
final class SqlShardStore implements ShardStore {
  private final ReadQueries reads;
  private final ShardWriters writer;
  private final ShardSql.Clocked clocked;

  SqlShardStore(ReadQueries reads, ShardWriters writer, SqlDialect dialect) {
    this.reads = requireNonNull(reads, "reads is null");
    this.writer = requireNonNull(writer, "writer is null");
    this.clocked = ShardSql.Clocked.of(requireNonNull(dialect, "dialect is null"));
  }

  @Override
  public int shardCount(int requestedShardCount) {
    writer.submit(session -> {
      PreparedStatement statement = session.statement(ShardSql.INSERT_SHARD_COUNT);
      statement.setInt(1, requestedShardCount);
      statement.executeUpdate();
    }).join();
    List<Integer> stored = reads.list(ShardSql.SELECT_SHARD_COUNT, statement -> {}, row -> row.getInt(1));
    int shardCount = stored.get(0);
    if (shardCount < 1) {
      throw new FailedPreconditionException("the database records an invalid shard count " + shardCount);
    }
    return shardCount;
  }

  @Override
  public long acquireShard(int shardId, String owner) {
    AtomicLong rangeId = new AtomicLong();
    writer.submit(shardId, session -> {
      insertShard(session, shardId);
      PreparedStatement move = session.statement(ShardSql.MOVE_RANGE_ID);
      move.setString(1, owner);
      move.setInt(2, shardId);
      move.executeUpdate();
      PreparedStatement select = session.statement(ShardSql.SELECT_RANGE_ID);
      select.setInt(1, shardId);
      try (var rows = select.executeQuery()) {
        rows.next();
        rangeId.set(rows.getLong(1));
      }
    }).join();
    return rangeId.get();
  }

  @Override
  public Optional<Map<Integer, Long>> acquireExpiredLeases(String owner, int shardCount, Duration ttl) {
    AtomicReference<Optional<Map<Integer, Long>>> result = new AtomicReference<>(Optional.empty());
    writer.submit(session -> {
      // Set again on every run: a batch that failed is replayed, running this operation twice.
      result.set(Optional.empty());
      for (int shardId = 0; shardId < shardCount; shardId++) {
        insertShard(session, shardId);
      }
      List<ShardLease> leases = new ArrayList<>();
      long now = readLeases(session.statement(clocked.selectLeasesForUpdate()), leases);
      boolean heldByAnother = leases.stream()
          .anyMatch(lease -> lease.expiresAtMillis() > now && !lease.owner().equals(owner));
      if (heldByAnother) {
        return;
      }
      PreparedStatement take = session.statement(clocked.takeLease());
      Map<Integer, Long> rangeIds = new TreeMap<>();
      for (ShardLease lease : leases) {
        take.setString(1, owner);
        take.setLong(2, ttl.toMillis());
        take.setInt(3, lease.shardId());
        take.executeUpdate();
        rangeIds.put(lease.shardId(), lease.rangeId() + 1);
      }
      result.set(Optional.of(rangeIds));
    }).join();
    return result.get();
  }

  @Override
  public boolean renewLeases(String owner, Map<Integer, Long> rangeIds, Duration ttl) {
    AtomicBoolean renewed = new AtomicBoolean();
    writer.submit(session -> {
      PreparedStatement renew = session.statement(clocked.renewLease());
      int updated = 0;
      for (Map.Entry<Integer, Long> shard : rangeIds.entrySet()) {
        renew.setLong(1, ttl.toMillis());
        renew.setInt(2, shard.getKey());
        renew.setString(3, owner);
        renew.setLong(4, shard.getValue());
        updated += renew.executeUpdate();
      }
      renewed.set(updated == rangeIds.size());
    }).join();
    return renewed.get();
  }

  @Override
  public void releaseLeases(String owner, Map<Integer, Long> rangeIds) {
    writer.submit(session -> {
      PreparedStatement release = session.statement(ShardSql.RELEASE_LEASE);
      for (Map.Entry<Integer, Long> shard : rangeIds.entrySet()) {
        release.setInt(1, shard.getKey());
        release.setString(2, owner);
        release.setLong(3, shard.getValue());
        release.executeUpdate();
      }
    }).join();
  }

  @Override
  public void heartbeat(String memberId, String address, Duration forgetAfter) {
    writer.submit(session -> {
      PreparedStatement heartbeat = session.statement(clocked.heartbeat());
      heartbeat.setString(1, memberId);
      heartbeat.setString(2, address);
      heartbeat.executeUpdate();
      PreparedStatement forget = session.statement(clocked.forgetMembers());
      forget.setLong(1, forgetAfter.toMillis());
      forget.executeUpdate();
    }).join();
  }

  @Override
  public void leave(String memberId) {
    writer.submit(session -> {
      PreparedStatement delete = session.statement(ShardSql.DELETE_MEMBER);
      delete.setString(1, memberId);
      delete.executeUpdate();
    }).join();
  }

  @Override
  public ClusterState clusterState() {
    List<ClusterMember> members = reads.list(clocked.selectMembers(), statement -> {},
        row -> new ClusterMember(row.getString(1), row.getString(2), row.getLong(3), row.getLong(4)));
    // Read after the members, so no heartbeat looks newer than "now".
    AtomicLong now = new AtomicLong();
    List<ShardLease> leases = reads.list(clocked.selectLeases(), statement -> {}, row -> {
      now.set(row.getLong(5));
      return lease(row);
    });
    if (leases.isEmpty()) {
      now.set(members.stream().mapToLong(ClusterMember::heartbeatAtMillis).max().orElse(0));
    }
    return new ClusterState(members, leases, now.get());
  }

  private static void insertShard(WriterSession session, int shardId) throws SQLException {
    PreparedStatement insert = session.statement(ShardSql.INSERT_SHARD);
    insert.setInt(1, shardId);
    insert.executeUpdate();
  }

  /** Reads every shard's lease into {@code leases}; returns the database's time. */
  private static long readLeases(PreparedStatement select, List<ShardLease> leases) throws SQLException {
    long now = 0;
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        leases.add(lease(rows));
        now = rows.getLong(5);
      }
    }
    return now;
  }

  private static ShardLease lease(ResultSet row) throws SQLException {
    return new ShardLease(row.getInt(1), row.getString(2), row.getLong(3), row.getLong(4));
  }
}
