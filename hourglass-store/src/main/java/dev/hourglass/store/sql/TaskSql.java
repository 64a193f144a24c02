package dev.hourglass.store.sql;

/** Statements on {@code tasks}, the task queues' durable backlog. */
final class TaskSql {
  static final String INSERT_TASK = """
      INSERT INTO tasks (namespace_id, task_queue, task_kind, task_id, workflow_id, run_id, scheduled_event_id, create_time,
        execution_namespace_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  static final String DELETE_TASK = "DELETE FROM tasks WHERE namespace_id = ? AND task_queue = ? AND task_kind = ? AND task_id = ?";

  static final String SELECT_TASKS = """
      SELECT task_id, workflow_id, run_id, scheduled_event_id, create_time, execution_namespace_id FROM tasks
      WHERE namespace_id = ? AND task_queue = ? AND task_kind = ? ORDER BY task_id LIMIT ?""";

  static final String COUNT_TASKS = "SELECT count(*) FROM (SELECT 1 FROM tasks WHERE task_kind = ? LIMIT ?) AS capped";

  private TaskSql() {}
}
