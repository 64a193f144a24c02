package dev.hourglass.store.sql;

/** Statements on {@code visibility}, {@code visibility_search_attributes} and {@code search_attributes}. */
final class VisibilitySql {
  static final String COLUMNS = """
      v.namespace_id, v.run_id, v.workflow_id, v.workflow_type, v.status, v.start_time, v.execution_time, v.close_time,
      v.task_queue, v.history_length, v.history_size_bytes, v.parent_namespace_id, v.parent_workflow_id, v.parent_run_id,
      v.root_workflow_id, v.root_run_id, v.first_run_id, v.memo, v.search_attributes""";

  /** Insert or replace: the row of a run is rewritten whole whenever what is listed of it changes. */
  static final String UPSERT = """
      INSERT INTO visibility (namespace_id, run_id, workflow_id, workflow_type, status, start_time, execution_time, close_time,
        close_order, execution_duration, task_queue, history_length, history_size_bytes, parent_namespace_id, parent_workflow_id,
        parent_run_id, root_workflow_id, root_run_id, first_run_id, memo, search_attributes)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (namespace_id, run_id) DO UPDATE SET
        workflow_id = excluded.workflow_id, workflow_type = excluded.workflow_type, status = excluded.status,
        start_time = excluded.start_time, execution_time = excluded.execution_time, close_time = excluded.close_time,
        close_order = excluded.close_order, execution_duration = excluded.execution_duration, task_queue = excluded.task_queue,
        history_length = excluded.history_length, history_size_bytes = excluded.history_size_bytes,
        parent_namespace_id = excluded.parent_namespace_id, parent_workflow_id = excluded.parent_workflow_id,
        parent_run_id = excluded.parent_run_id, root_workflow_id = excluded.root_workflow_id, root_run_id = excluded.root_run_id,
        first_run_id = excluded.first_run_id, memo = excluded.memo, search_attributes = excluded.search_attributes""";

  static final String DELETE_ROW = "DELETE FROM visibility WHERE namespace_id = ? AND run_id = ?";

  static final String DELETE_VALUES = "DELETE FROM visibility_search_attributes WHERE namespace_id = ? AND run_id = ?";

  static final String INSERT_VALUE = """
      INSERT INTO visibility_search_attributes (namespace_id, run_id, name, seq, int_value, double_value, text_value)
      VALUES (?, ?, ?, ?, ?, ?, ?)""";

  static final String SELECT_SEARCH_ATTRIBUTES = "SELECT name, type FROM search_attributes WHERE namespace_id = ?";

  static final String INSERT_SEARCH_ATTRIBUTE = """
      INSERT INTO search_attributes (namespace_id, name, type) VALUES (?, ?, ?) ON CONFLICT (namespace_id, name) DO NOTHING""";

  static final String DELETE_SEARCH_ATTRIBUTE = "DELETE FROM search_attributes WHERE namespace_id = ? AND name = ?";

  private VisibilitySql() {}
}
