package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.store.ShardStore;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** {@link ShardStore} on SQL. */
final class SqlShardStore implements ShardStore {
  private final ReadQueries reads;
  private final ShardWriters writer;

  SqlShardStore(ReadQueries reads, ShardWriters writer) {
    this.reads = requireNonNull(reads, "reads is null");
    this.writer = requireNonNull(writer, "writer is null");
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
      PreparedStatement insert = session.statement(ShardSql.INSERT_SHARD);
      insert.setInt(1, shardId);
      insert.executeUpdate();
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
}
