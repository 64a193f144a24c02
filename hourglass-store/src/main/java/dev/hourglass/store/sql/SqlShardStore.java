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
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link ShardStore} on SQL. Lease and membership statements run in {@link LeaseTransactions}
 * (connections of their own on PostgreSQL); taking the leases reads the shard rows
 * {@code FOR UPDATE} first, so two processes taking them at once are serialized, and the second
 * sees the first's live lease.
 */
final class SqlShardStore implements ShardStore {
  private final ReadQueries reads;
  private final ShardWriters writer;
  private final LeaseTransactions leases;
  private final ShardSql.Clocked clocked;

  SqlShardStore(ReadQueries reads, ShardWriters writer, LeaseTransactions leases, SqlDialect dialect) {
    this.reads = requireNonNull(reads, "reads is null");
    this.writer = requireNonNull(writer, "writer is null");
    this.leases = requireNonNull(leases, "leases is null");
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
  public Optional<Map<Integer, Long>> acquireExpiredLeases(String owner, int shardCount, Duration ttl, Optional<String> deadOwner) {
    return leases.run(connection -> {
      try (PreparedStatement insertShard = connection.prepareStatement(ShardSql.INSERT_SHARD);
          PreparedStatement insertLease = connection.prepareStatement(ShardSql.INSERT_LEASE)) {
        for (int shardId = 0; shardId < shardCount; shardId++) {
          insertShard.setInt(1, shardId);
          insertShard.executeUpdate();
          insertLease.setInt(1, shardId);
          insertLease.executeUpdate();
        }
      }
      List<ShardLease> held = new ArrayList<>();
      long now;
      try (PreparedStatement select = connection.prepareStatement(clocked.selectLeasesForUpdate())) {
        now = readLeases(select, held);
      }
      boolean heldByAnother = held.stream().anyMatch(lease -> lease.expiresAtMillis() > now && !lease.owner().equals(owner)
          && !deadOwner.equals(Optional.of(lease.owner())));
      if (heldByAnother) {
        return Optional.<Map<Integer, Long>>empty();
      }
      Map<Integer, Long> rangeIds = new TreeMap<>();
      try (PreparedStatement move = connection.prepareStatement(ShardSql.MOVE_RANGE_ID);
          PreparedStatement read = connection.prepareStatement(ShardSql.SELECT_RANGE_ID);
          PreparedStatement take = connection.prepareStatement(clocked.takeLease())) {
        for (ShardLease lease : held) {
          // Waits for the previous holder's batches in flight (they hold the row FOR SHARE); every
          // later one reads the new range id and is fenced.
          move.setString(1, owner);
          move.setInt(2, lease.shardId());
          move.executeUpdate();
          read.setInt(1, lease.shardId());
          long rangeId;
          try (ResultSet rows = read.executeQuery()) {
            rows.next();
            rangeId = rows.getLong(1);
          }
          take.setString(1, owner);
          take.setLong(2, rangeId);
          take.setLong(3, ttl.toMillis());
          take.setInt(4, lease.shardId());
          take.executeUpdate();
          rangeIds.put(lease.shardId(), rangeId);
        }
      }
      return Optional.of(rangeIds);
    });
  }

  @Override
  public boolean renewLeases(String owner, Map<Integer, Long> rangeIds, Duration ttl) {
    return leases.run(connection -> {
      int updated = 0;
      try (PreparedStatement renew = connection.prepareStatement(clocked.renewLease())) {
        for (Map.Entry<Integer, Long> shard : rangeIds.entrySet()) {
          renew.setLong(1, ttl.toMillis());
          renew.setInt(2, shard.getKey());
          renew.setString(3, owner);
          renew.setLong(4, shard.getValue());
          updated += renew.executeUpdate();
        }
      }
      return updated == rangeIds.size();
    });
  }

  @Override
  public void releaseLeases(String owner, Map<Integer, Long> rangeIds) {
    leases.run(connection -> {
      try (PreparedStatement release = connection.prepareStatement(ShardSql.RELEASE_LEASE)) {
        for (Map.Entry<Integer, Long> shard : rangeIds.entrySet()) {
          release.setInt(1, shard.getKey());
          release.setString(2, owner);
          release.setLong(3, shard.getValue());
          release.executeUpdate();
        }
      }
      return null;
    });
  }

  @Override
  public void heartbeat(String memberId, String address, Duration forgetAfter) {
    leases.run(connection -> {
      try (PreparedStatement heartbeat = connection.prepareStatement(clocked.heartbeat());
          PreparedStatement forget = connection.prepareStatement(clocked.forgetMembers())) {
        heartbeat.setString(1, memberId);
        heartbeat.setString(2, address);
        heartbeat.executeUpdate();
        forget.setLong(1, forgetAfter.toMillis());
        forget.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void leave(String memberId) {
    leases.run(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(ShardSql.DELETE_MEMBER)) {
        delete.setString(1, memberId);
        delete.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public ClusterState clusterState() {
    return leases.run(connection -> {
      List<ClusterMember> members = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(clocked.selectMembers()); ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          members.add(new ClusterMember(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4)));
        }
      }
      // Read after the members, so no heartbeat looks newer than "now".
      List<ShardLease> shards = new ArrayList<>();
      long now;
      try (PreparedStatement select = connection.prepareStatement(clocked.selectLeases())) {
        now = readLeases(select, shards);
      }
      if (shards.isEmpty()) {
        now = members.stream().mapToLong(ClusterMember::heartbeatAtMillis).max().orElse(0);
      }
      return new ClusterState(members, shards, now);
    });
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
