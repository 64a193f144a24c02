package dev.hourglass.store.sql;

/** Statements on {@code executions}, {@code current_executions} and {@code history_batches}. */
final class ExecutionSql {
  static final String SELECT_EXECUTION = """
      SELECT shard_id, db_version, status, workflow_type, task_queue, start_time, close_time, next_event_id, state
      FROM executions WHERE namespace_id = ? AND workflow_id = ? AND run_id = ?""";

  static final String INSERT_EXECUTION = """
      INSERT INTO executions (namespace_id, workflow_id, run_id, shard_id, db_version, status, workflow_type,
        task_queue, start_time, close_time, next_event_id, state)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  static final String UPDATE_EXECUTION = """
      UPDATE executions SET db_version = ?, status = ?, close_time = ?, next_event_id = ?, state = ?
      WHERE namespace_id = ? AND workflow_id = ? AND run_id = ? AND db_version = ?""";

  static final String SELECT_CURRENT = """
      SELECT run_id, status, start_request_id FROM current_executions WHERE namespace_id = ? AND workflow_id = ?""";

  /** Open current runs in a workflow id range [after, before), in id order: schedules list by their id prefix. */
  static final String SELECT_OPEN_CURRENT_RANGE = """
      SELECT workflow_id, run_id, status, start_request_id FROM current_executions
      WHERE namespace_id = ? AND workflow_id > ? AND workflow_id < ? AND status = 1
      ORDER BY workflow_id LIMIT ?""";

  static final String INSERT_CURRENT = """
      INSERT INTO current_executions (namespace_id, workflow_id, run_id, status, start_request_id) VALUES (?, ?, ?, ?, ?)""";

  static final String UPDATE_CURRENT = """
      UPDATE current_executions SET run_id = ?, status = ?, start_request_id = ?
      WHERE namespace_id = ? AND workflow_id = ? AND run_id = ?""";

  static final String INSERT_HISTORY = """
      INSERT INTO history_batches (namespace_id, workflow_id, run_id, first_event_id, last_event_id, events)
      VALUES (?, ?, ?, ?, ?, ?)""";

  static final String SELECT_HISTORY = """
      SELECT first_event_id, last_event_id, events FROM history_batches
      WHERE namespace_id = ? AND workflow_id = ? AND run_id = ? AND last_event_id >= ?
      ORDER BY first_event_id LIMIT ?""";

  /** Retention deletes closed runs only (status 1 is Running). */
  static final String DELETE_CLOSED_EXECUTION = """
      DELETE FROM executions WHERE namespace_id = ? AND workflow_id = ? AND run_id = ? AND status <> 1""";

  static final String DELETE_HISTORY = """
      DELETE FROM history_batches WHERE namespace_id = ? AND workflow_id = ? AND run_id = ?""";

  static final String DELETE_CURRENT_IF_RUN = """
      DELETE FROM current_executions WHERE namespace_id = ? AND workflow_id = ? AND run_id = ?""";

  private ExecutionSql() {}
}
