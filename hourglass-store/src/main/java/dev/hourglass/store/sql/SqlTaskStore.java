package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ExecutionKey;
import dev.hourglass.store.TaskKey;
import dev.hourglass.store.TaskKind;
import dev.hourglass.store.TaskRecord;
import dev.hourglass.store.TaskStore;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link TaskStore} on SQL. */
final class SqlTaskStore implements TaskStore {
  private final ReadQueries reads;
  private final ShardWriters writer;

  SqlTaskStore(ReadQueries reads, ShardWriters writer) {
    this.reads = requireNonNull(reads, "reads is null");
    this.writer = requireNonNull(writer, "writer is null");
  }

  @Override
  public List<TaskRecord> readTasks(String namespaceId, String taskQueue, TaskKind kind, int limit) {
    return reads.list(TaskSql.SELECT_TASKS, statement -> {
      statement.setString(1, namespaceId);
      statement.setString(2, taskQueue);
      statement.setInt(3, kind.code());
      statement.setInt(4, limit);
    }, row -> {
      String executionNamespaceId = row.getString(6).isEmpty() ? namespaceId : row.getString(6);
      return new TaskRecord(taskQueue, kind, row.getLong(1), new ExecutionKey(executionNamespaceId, row.getString(2), row.getString(3)),
          row.getLong(4), row.getLong(5), namespaceId);
    });
  }

  @Override
  public long countTasks(TaskKind kind, long cap) {
    return reads.list(TaskSql.COUNT_TASKS, statement -> {
      statement.setInt(1, kind.code());
      statement.setLong(2, cap);
    }, row -> row.getLong(1)).get(0);
  }

  @Override
  public CompletableFuture<Void> deleteTasks(long rangeId, int shardId, List<TaskKey> keys) {
    List<TaskKey> copy = List.copyOf(keys);
    return writer.submit(shardId, session -> {
      session.checkRangeId(shardId, rangeId);
      for (TaskKey key : copy) {
        delete(session, key);
      }
    });
  }

  static void insert(WriterSession session, TaskRecord task) throws SQLException {
    PreparedStatement statement = session.statement(TaskSql.INSERT_TASK);
    statement.setString(1, task.queueNamespaceId());
    statement.setString(2, task.taskQueue());
    statement.setInt(3, task.kind().code());
    statement.setLong(4, task.taskId());
    statement.setString(5, task.execution().workflowId());
    statement.setString(6, task.execution().runId());
    statement.setLong(7, task.scheduledEventId());
    statement.setLong(8, task.createTimeMillis());
    statement.setString(9, task.queueNamespaceId().equals(task.execution().namespaceId()) ? "" : task.execution().namespaceId());
    SqlExecutionStore.executeInsert(session, statement, "task " + task.taskId());
  }

  static void delete(WriterSession session, TaskKey key) throws SQLException {
    PreparedStatement statement = session.statement(TaskSql.DELETE_TASK);
    statement.setString(1, key.namespaceId());
    statement.setString(2, key.taskQueue());
    statement.setInt(3, key.kind().code());
    statement.setLong(4, key.taskId());
    statement.executeUpdate();
  }
}
