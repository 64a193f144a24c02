package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ConditionFailedException;
import dev.hourglass.store.NamespaceRecord;
import dev.hourglass.store.NamespaceStore;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** {@link NamespaceStore} on SQL. Namespace writes are rare and go through the same writer. */
final class SqlNamespaceStore implements NamespaceStore {
  private final ReadQueries reads;
  private final ShardWriters writer;

  SqlNamespaceStore(ReadQueries reads, ShardWriters writer) {
    this.reads = requireNonNull(reads, "reads is null");
    this.writer = requireNonNull(writer, "writer is null");
  }

  @Override
  public List<NamespaceRecord> listNamespaces() {
    return reads.list(NamespaceSql.SELECT_ALL, statement -> {}, row ->
        new NamespaceRecord(row.getString(1), row.getString(2), row.getBytes(3), row.getBytes(4), row.getLong(5)));
  }

  @Override
  public Optional<NamespaceRecord> getNamespaceByName(String name) {
    return reads.list(NamespaceSql.SELECT_BY_NAME, statement -> statement.setString(1, name), row ->
        new NamespaceRecord(row.getString(1), row.getString(2), row.getBytes(3), row.getBytes(4), row.getLong(5)))
        .stream().findFirst();
  }

  @Override
  public boolean createNamespace(NamespaceRecord namespace) {
    return succeeded(writer.submit(session -> {
      PreparedStatement statement = session.statement(NamespaceSql.INSERT);
      statement.setString(1, namespace.id());
      statement.setString(2, namespace.name());
      statement.setBytes(3, namespace.info());
      statement.setBytes(4, namespace.config());
      statement.setLong(5, namespace.version());
      SqlExecutionStore.executeInsert(session, statement, "namespace " + namespace.name());
    }));
  }

  @Override
  public boolean updateNamespace(NamespaceRecord namespace, long expectedVersion) {
    return succeeded(writer.submit(session -> {
      PreparedStatement statement = session.statement(NamespaceSql.UPDATE);
      statement.setBytes(1, namespace.info());
      statement.setBytes(2, namespace.config());
      statement.setLong(3, namespace.version());
      statement.setString(4, namespace.id());
      statement.setLong(5, expectedVersion);
      if (statement.executeUpdate() != 1) {
        throw new ConditionFailedException("namespace " + namespace.name() + " changed meanwhile");
      }
    }));
  }

  /** Whether a write committed; false when it failed on a version or key condition. */
  static boolean succeeded(java.util.concurrent.CompletableFuture<Void> write) {
    try {
      write.join();
      return true;
    } catch (CompletionException e) {
      if (e.getCause() instanceof ConditionFailedException) {
        return false;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
