package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.store.SearchAttributeValue;
import dev.hourglass.store.VisibilityQuery;
import dev.hourglass.store.VisibilityQuery.SortColumn;
import dev.hourglass.store.VisibilityRecord;
import dev.hourglass.store.VisibilityStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * {@link VisibilityStore} on SQL. Rows are written by {@link #upsert} inside the execution's
 * transaction; reads run on the pooled readers. Paging is keyset: the next page starts after the
 * order values of the last row returned, so a deep page costs what the first one does.
 */
final class SqlVisibilityStore implements VisibilityStore {
  /** Order columns come from the engine's compiler; refuse anything but a plain column name. */
  private static final Pattern COLUMN = Pattern.compile("[a-z_]+");

  private final ReadQueries reads;
  private final ShardWriters writer;
  private final SqlDialect dialect;

  SqlVisibilityStore(ReadQueries reads, ShardWriters writer, SqlDialect dialect) {
    this.reads = requireNonNull(reads, "reads is null");
    this.writer = requireNonNull(writer, "writer is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
  }

  @Override
  public List<VisibilityRecord> list(VisibilityQuery query, int limit) {
    List<Object> parameters = new ArrayList<>();
    String sql = listSql(query, limit, parameters);
    return reads.list(sql, statement -> bind(statement, parameters), row -> record(row, query.order()));
  }

  /**
   * The page query; fills {@code parameters} with the values of its placeholders. A search
   * attribute in the order is joined (its first value, {@code seq = 0}) and selected after the
   * row's columns, so the engine can put it into the next page's token.
   */
  static String listSql(VisibilityQuery query, int limit, List<Object> parameters) {
    List<SortColumn> order = query.order();
    StringBuilder sql = new StringBuilder("SELECT ").append(VisibilitySql.COLUMNS);
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).attribute().isPresent()) {
        sql.append(", o").append(i).append('.').append(column(order.get(i)));
      }
    }
    sql.append(" FROM visibility v");
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).attribute().isPresent()) {
        String alias = "o" + i;
        sql.append(" LEFT JOIN visibility_search_attributes ").append(alias).append(" ON ").append(alias)
            .append(".namespace_id = v.namespace_id AND ").append(alias).append(".run_id = v.run_id AND ")
            .append(alias).append(".name = ? AND ").append(alias).append(".seq = 0");
        parameters.add(order.get(i).attribute().get());
      }
    }
    appendWhere(sql, parameters, query);
    List<SortKey> keys = sortKeys(order);
    query.after().ifPresent(after -> appendKeyset(sql, parameters, keys, keyValues(order, after)));
    sql.append(" ORDER BY ");
    for (int i = 0; i < keys.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(keys.get(i).expression()).append(keys.get(i).descending() ? " DESC" : "");
    }
    sql.append(" LIMIT ?");
    parameters.add((long) limit);
    return sql.toString();
  }

  /** One expression of the SQL order; the values of a keyset page compare against them. */
  private record SortKey(String expression, boolean descending) {}

  /**
   * The order as SQL expressions, run id last. A search attribute is two keys: whether the run
   * lacks it (ascending, so those runs come last in either direction) and its value with a
   * placeholder for the missing ones, so that every key is non-null and the keyset condition
   * can compare with {@code =}, {@code <} and {@code >} alone.
   */
  private static List<SortKey> sortKeys(List<SortColumn> order) {
    List<SortKey> keys = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      SortColumn column = order.get(i);
      if (column.attribute().isPresent()) {
        String value = "o" + i + "." + column(column);
        keys.add(new SortKey("(CASE WHEN o" + i + ".run_id IS NULL THEN 1 ELSE 0 END)", false));
        keys.add(new SortKey("COALESCE(" + value + ", " + (column.column().equals("text_value") ? "''" : "0") + ")",
            column.descending()));
      } else {
        keys.add(new SortKey("v." + column(column), column.descending()));
      }
    }
    keys.add(new SortKey("v.run_id", lastDescending(order)));
    return keys;
  }

  /** The page position ({@code after}: one value per sort column, then the run id) as values of the sort keys. */
  private static List<Object> keyValues(List<SortColumn> order, List<Object> after) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      Object value = after.get(i);
      if (order.get(i).attribute().isPresent()) {
        values.add(value == null ? 1L : 0L);
        values.add(value != null ? value : missingPlaceholder(order.get(i)));
      } else {
        values.add(value);
      }
    }
    values.add(after.get(order.size()));
    return values;
  }

  private static Object missingPlaceholder(SortColumn column) {
    return switch (column.column()) {
      case "text_value" -> "";
      case "double_value" -> 0.0;
      default -> 0L;
    };
  }

  @Override
  public long count(VisibilityQuery query) {
    List<Object> parameters = new ArrayList<>();
    String sql = countSql(query, parameters);
    return reads.list(sql, statement -> bind(statement, parameters), row -> row.getLong(1)).get(0);
  }

  private static String countSql(VisibilityQuery query, List<Object> parameters) {
    StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM visibility v");
    appendWhere(sql, parameters, query);
    return sql.toString();
  }

  @Override
  public void load(List<VisibilityRecord> records) {
    await(writer.submit(session -> {
      for (VisibilityRecord record : records) {
        upsert(session, record);
      }
    }));
  }

  @Override
  public List<String> explain(VisibilityQuery query, boolean count, int limit) {
    List<Object> parameters = new ArrayList<>();
    String sql = count ? countSql(query, parameters) : listSql(query, limit, parameters);
    return reads.list(dialect.explainPrefix() + sql, statement -> bind(statement, parameters),
        row -> row.getString(dialect.planColumn()));
  }

  @Override
  public Map<Integer, Long> countByStatus(VisibilityQuery query) {
    List<Object> parameters = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT v.status, COUNT(*) FROM visibility v");
    appendWhere(sql, parameters, query);
    sql.append(" GROUP BY v.status");
    Map<Integer, Long> counts = new HashMap<>();
    reads.list(sql.toString(), statement -> bind(statement, parameters), row -> counts.put(row.getInt(1), row.getLong(2)));
    return counts;
  }

  @Override
  public Map<String, Integer> searchAttributes(String namespaceId) {
    Map<String, Integer> attributes = new HashMap<>();
    reads.list(VisibilitySql.SELECT_SEARCH_ATTRIBUTES, statement -> statement.setString(1, namespaceId),
        row -> attributes.put(row.getString(1), row.getInt(2)));
    return attributes;
  }

  @Override
  public void addSearchAttributes(String namespaceId, Map<String, Integer> attributes) {
    await(writer.submit(session -> {
      for (Map.Entry<String, Integer> attribute : attributes.entrySet()) {
        PreparedStatement statement = session.statement(VisibilitySql.INSERT_SEARCH_ATTRIBUTE);
        statement.setString(1, namespaceId);
        statement.setString(2, attribute.getKey());
        statement.setInt(3, attribute.getValue());
        statement.executeUpdate();
      }
    }));
  }

  @Override
  public void removeSearchAttributes(String namespaceId, Set<String> names) {
    await(writer.submit(session -> {
      for (String name : names) {
        PreparedStatement statement = session.statement(VisibilitySql.DELETE_SEARCH_ATTRIBUTE);
        statement.setString(1, namespaceId);
        statement.setString(2, name);
        statement.executeUpdate();
      }
    }));
  }

  /** Writes a run's row and replaces its search attribute values; part of the execution's transaction. */
  static void upsert(WriterSession session, VisibilityRecord record) throws SQLException {
    PreparedStatement statement = session.statement(VisibilitySql.UPSERT);
    int i = 0;
    statement.setString(++i, record.namespaceId());
    statement.setString(++i, record.runId());
    statement.setString(++i, record.workflowId());
    statement.setString(++i, record.workflowType());
    statement.setInt(++i, record.status());
    statement.setLong(++i, record.startTimeMillis());
    statement.setLong(++i, record.executionTimeMillis());
    setLongOrNull(statement, ++i, record.closed() ? record.closeTimeMillis() : null);
    statement.setLong(++i, record.closed() ? record.closeTimeMillis() : Long.MAX_VALUE);
    setLongOrNull(statement, ++i, record.closed() ? Math.max(0, record.closeTimeMillis() - record.executionTimeMillis()) : null);
    statement.setString(++i, record.taskQueue());
    statement.setLong(++i, record.historyLength());
    statement.setLong(++i, record.historySizeBytes());
    setTextOrNull(statement, ++i, record.parentNamespaceId());
    setTextOrNull(statement, ++i, record.parentWorkflowId());
    setTextOrNull(statement, ++i, record.parentRunId());
    setTextOrNull(statement, ++i, record.rootWorkflowId());
    setTextOrNull(statement, ++i, record.rootRunId());
    statement.setString(++i, record.firstRunId());
    setBytesOrNull(statement, ++i, record.memo());
    setBytesOrNull(statement, ++i, record.searchAttributes());
    statement.executeUpdate();

    deleteValues(session, record.namespaceId(), record.runId());
    for (SearchAttributeValue value : record.values()) {
      PreparedStatement insert = session.statement(VisibilitySql.INSERT_VALUE);
      insert.setString(1, record.namespaceId());
      insert.setString(2, record.runId());
      insert.setString(3, value.name());
      insert.setInt(4, value.seq());
      setLongOrNull(insert, 5, value.intValue());
      if (value.doubleValue() == null) {
        insert.setNull(6, Types.DOUBLE);
      } else {
        insert.setDouble(6, value.doubleValue());
      }
      insert.setString(7, value.textValue());
      insert.executeUpdate();
    }
  }

  /** Removes a run's row and values (retention); part of the deleting transaction. */
  static void delete(WriterSession session, String namespaceId, String runId) throws SQLException {
    PreparedStatement statement = session.statement(VisibilitySql.DELETE_ROW);
    statement.setString(1, namespaceId);
    statement.setString(2, runId);
    statement.executeUpdate();
    deleteValues(session, namespaceId, runId);
  }

  private static void deleteValues(WriterSession session, String namespaceId, String runId) throws SQLException {
    PreparedStatement delete = session.statement(VisibilitySql.DELETE_VALUES);
    delete.setString(1, namespaceId);
    delete.setString(2, runId);
    delete.executeUpdate();
  }

  private static void appendWhere(StringBuilder sql, List<Object> parameters, VisibilityQuery query) {
    sql.append(" WHERE v.namespace_id = ?");
    parameters.add(query.namespaceId());
    if (!query.condition().isEmpty()) {
      sql.append(" AND (").append(query.condition()).append(')');
      parameters.addAll(query.parameters());
    }
  }

  /**
   * Rows strictly after the position {@code after} (the values of {@code keys}), compared
   * lexicographically, written out as ORs (row-value comparison cannot mix directions), behind a
   * redundant bound on the first key alone ({@code k1 <= ?} descending). The bound is what lets
   * the database seek to the position in the index: neither SQLite nor PostgreSQL derives an
   * index range from the ORs, and without it a deep page walked the index from the first row.
   */
  private static void appendKeyset(StringBuilder sql, List<Object> parameters, List<SortKey> keys, List<Object> after) {
    sql.append(" AND ").append(keys.get(0).expression()).append(keys.get(0).descending() ? " <= ?" : " >= ?");
    parameters.add(after.get(0));
    sql.append(" AND (");
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        sql.append(" OR ");
      }
      sql.append('(');
      for (int j = 0; j < i; j++) {
        sql.append(keys.get(j).expression()).append(" = ? AND ");
        parameters.add(after.get(j));
      }
      sql.append(keys.get(i).expression()).append(keys.get(i).descending() ? " < ?" : " > ?").append(')');
      parameters.add(after.get(i));
    }
    sql.append(')');
  }

  /** The run id tie-breaker follows the direction of the last sort column, so one index serves the whole order. */
  private static boolean lastDescending(List<SortColumn> order) {
    return !order.isEmpty() && order.get(order.size() - 1).descending();
  }

  private static String column(SortColumn column) {
    if (!COLUMN.matcher(column.column()).matches()) {
      throw new IllegalArgumentException("not a column name: " + column.column());
    }
    return column.column();
  }

  private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      Object parameter = parameters.get(i);
      if (parameter instanceof String text) {
        statement.setString(i + 1, text);
      } else if (parameter instanceof Long number) {
        statement.setLong(i + 1, number);
      } else if (parameter instanceof Integer number) {
        statement.setInt(i + 1, number);
      } else if (parameter instanceof Double number) {
        statement.setDouble(i + 1, number);
      } else {
        throw new IllegalArgumentException("unsupported parameter type " + parameter);
      }
    }
  }

  /** A row of the page; {@code values} holds the row's values of the search attributes in the order. */
  private static VisibilityRecord record(ResultSet row, List<SortColumn> order) throws SQLException {
    long closeTime = row.getLong(8);
    if (row.wasNull()) {
      closeTime = 0;
    }
    List<SearchAttributeValue> orderValues = new ArrayList<>();
    int next = 20;
    for (SortColumn column : order) {
      if (column.attribute().isPresent()) {
        orderValue(row, next++, column).ifPresent(orderValues::add);
      }
    }
    return new VisibilityRecord(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getInt(5), row.getLong(6),
        row.getLong(7), closeTime, row.getString(9), row.getLong(10), row.getLong(11), text(row, 12),
        text(row, 13), text(row, 14), text(row, 15), text(row, 16), row.getString(17), bytes(row, 18), bytes(row, 19), orderValues);
  }

  /** The selected value of an order attribute; empty when the run does not have the attribute. */
  private static Optional<SearchAttributeValue> orderValue(ResultSet row, int index, SortColumn column) throws SQLException {
    String name = column.attribute().get();
    return switch (column.column()) {
      case "int_value" -> {
        long value = row.getLong(index);
        yield row.wasNull() ? Optional.empty() : Optional.of(SearchAttributeValue.ofInt(name, 0, value));
      }
      case "double_value" -> {
        double value = row.getDouble(index);
        yield row.wasNull() ? Optional.empty() : Optional.of(SearchAttributeValue.ofDouble(name, 0, value));
      }
      default -> Optional.ofNullable(row.getString(index)).map(value -> SearchAttributeValue.ofText(name, 0, value));
    };
  }

  private static String text(ResultSet row, int column) throws SQLException {
    String value = row.getString(column);
    return value == null ? "" : value;
  }

  private static byte[] bytes(ResultSet row, int column) throws SQLException {
    byte[] value = row.getBytes(column);
    return value == null ? new byte[0] : value;
  }

  private static void setLongOrNull(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  private static void setTextOrNull(PreparedStatement statement, int index, String value) throws SQLException {
    if (value.isEmpty()) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  private static void setBytesOrNull(PreparedStatement statement, int index, byte[] value) throws SQLException {
    if (value.length == 0) {
      statement.setNull(index, Types.BINARY);
    } else {
      statement.setBytes(index, value);
    }
  }

  private static void await(java.util.concurrent.CompletableFuture<Void> write) {
    try {
      write.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
