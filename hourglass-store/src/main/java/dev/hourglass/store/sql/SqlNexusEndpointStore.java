package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ConditionFailedException;
import dev.hourglass.store.NexusEndpointRecord;
import dev.hourglass.store.NexusEndpointStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link NexusEndpointStore} on SQL; rare writes through the group-commit writer. */
final class SqlNexusEndpointStore implements NexusEndpointStore {
  private static final String COLUMNS = "id, name, version, endpoint";
  private static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM nexus_endpoints WHERE id = ?";
  private static final String SELECT_BY_NAME = "SELECT " + COLUMNS + " FROM nexus_endpoints WHERE name = ?";
  private static final String SELECT_PAGE = "SELECT " + COLUMNS + " FROM nexus_endpoints WHERE name > ? ORDER BY name LIMIT ?";
  private static final String INSERT = "INSERT INTO nexus_endpoints (id, name, version, endpoint) VALUES (?, ?, ?, ?)";
  private static final String UPDATE = "UPDATE nexus_endpoints SET name = ?, version = ?, endpoint = ? WHERE id = ? AND version = ?";
  private static final String DELETE = "DELETE FROM nexus_endpoints WHERE id = ? AND version = ?";

  private final ReadQueries reads;
  private final ShardWriters writer;

  SqlNexusEndpointStore(ReadQueries reads, ShardWriters writer) {
    this.reads = requireNonNull(reads, "reads is null");
    this.writer = requireNonNull(writer, "writer is null");
  }

  @Override
  public Optional<NexusEndpointRecord> get(String id) {
    return reads.list(SELECT_BY_ID, statement -> statement.setString(1, id), SqlNexusEndpointStore::record).stream().findFirst();
  }

  @Override
  public Optional<NexusEndpointRecord> getByName(String name) {
    return reads.list(SELECT_BY_NAME, statement -> statement.setString(1, name), SqlNexusEndpointStore::record).stream().findFirst();
  }

  @Override
  public List<NexusEndpointRecord> list(String afterName, int limit) {
    return reads.list(SELECT_PAGE, statement -> {
      statement.setString(1, afterName);
      statement.setInt(2, limit);
    }, SqlNexusEndpointStore::record);
  }

  @Override
  public boolean create(NexusEndpointRecord endpoint) {
    return SqlNamespaceStore.succeeded(writer.submit(session -> {
      PreparedStatement statement = session.statement(INSERT);
      statement.setString(1, endpoint.id());
      statement.setString(2, endpoint.name());
      statement.setLong(3, endpoint.version());
      statement.setBytes(4, endpoint.endpoint());
      SqlExecutionStore.executeInsert(session, statement, "Nexus endpoint " + endpoint.name());
    }));
  }

  @Override
  public boolean update(NexusEndpointRecord endpoint, long expectedVersion) {
    return SqlNamespaceStore.succeeded(writer.submit(session -> {
      PreparedStatement statement = session.statement(UPDATE);
      statement.setString(1, endpoint.name());
      statement.setLong(2, endpoint.version());
      statement.setBytes(3, endpoint.endpoint());
      statement.setString(4, endpoint.id());
      statement.setLong(5, expectedVersion);
      int updated;
      try {
        updated = statement.executeUpdate();
      } catch (SQLException e) {
        if (session.dialect().isUniqueViolation(e)) {
          throw new ConditionFailedException("Nexus endpoint name " + endpoint.name() + " is taken");
        }
        throw e;
      }
      if (updated != 1) {
        throw new ConditionFailedException("Nexus endpoint " + endpoint.id() + " is not at version " + expectedVersion);
      }
    }));
  }

  @Override
  public boolean delete(String id, long expectedVersion) {
    return SqlNamespaceStore.succeeded(writer.submit(session -> {
      PreparedStatement statement = session.statement(DELETE);
      statement.setString(1, id);
      statement.setLong(2, expectedVersion);
      if (statement.executeUpdate() != 1) {
        throw new ConditionFailedException("Nexus endpoint " + id + " is not at version " + expectedVersion);
      }
    }));
  }

  private static NexusEndpointRecord record(ResultSet row) throws SQLException {
    return new NexusEndpointRecord(row.getString(1), row.getString(2), row.getLong(3), row.getBytes(4));
  }
}
