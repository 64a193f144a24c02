package dev.hourglass.engine.visibility;

import io.temporal.api.enums.v1.IndexedValueType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The system search attributes that are columns of the {@code visibility} table, how their
 * values are written in a query, and which can order a list.
 *
 * @param column the column; {@code null}-able ones match IS NULL while unset
 * @param sortColumn the never-null column ORDER BY uses, or null when it cannot order
 */
record SystemAttribute(String name, IndexedValueType type, Kind kind, String column, String sortColumn) {
  /** How a query value of the attribute becomes a column value. */
  enum Kind { KEYWORD, STATUS, TIME, DURATION, INT }

  private static final Map<String, SystemAttribute> ALL = build();

  private static Map<String, SystemAttribute> build() {
    Map<String, SystemAttribute> all = new LinkedHashMap<>();
    IndexedValueType keyword = IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    IndexedValueType datetime = IndexedValueType.INDEXED_VALUE_TYPE_DATETIME;
    IndexedValueType integer = IndexedValueType.INDEXED_VALUE_TYPE_INT;
    add(all, "WorkflowId", keyword, Kind.KEYWORD, "workflow_id", "workflow_id");
    add(all, "RunId", keyword, Kind.KEYWORD, "run_id", "run_id");
    add(all, "WorkflowType", keyword, Kind.KEYWORD, "workflow_type", "workflow_type");
    add(all, "TaskQueue", keyword, Kind.KEYWORD, "task_queue", "task_queue");
    add(all, "ExecutionStatus", keyword, Kind.STATUS, "status", "status");
    add(all, "StartTime", datetime, Kind.TIME, "start_time", "start_time");
    add(all, "ExecutionTime", datetime, Kind.TIME, "execution_time", "execution_time");
    // Open runs sort as if closed at the end of time: first when descending, as Temporal lists them.
    add(all, "CloseTime", datetime, Kind.TIME, "close_time", "close_order");
    add(all, "ExecutionDuration", integer, Kind.DURATION, "execution_duration", null);
    add(all, "HistoryLength", integer, Kind.INT, "history_length", "history_length");
    add(all, "HistorySizeBytes", integer, Kind.INT, "history_size_bytes", "history_size_bytes");
    add(all, "ParentWorkflowId", keyword, Kind.KEYWORD, "parent_workflow_id", null);
    add(all, "ParentRunId", keyword, Kind.KEYWORD, "parent_run_id", null);
    add(all, "RootWorkflowId", keyword, Kind.KEYWORD, "root_workflow_id", null);
    add(all, "RootRunId", keyword, Kind.KEYWORD, "root_run_id", null);
    return Map.copyOf(all);
  }

  private static void add(Map<String, SystemAttribute> all, String name, IndexedValueType type, Kind kind, String column,
      String sortColumn) {
    all.put(name, new SystemAttribute(name, type, kind, column, sortColumn));
  }

  static Optional<SystemAttribute> named(String name) {
    return Optional.ofNullable(ALL.get(name));
  }

  static Map<String, SystemAttribute> all() {
    return ALL;
  }
}
