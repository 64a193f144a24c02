package dev.hourglass.store;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads of the visibility index and the registry of custom search attributes. Visibility rows
 * are written with the execution change that alters them ({@link ExecutionWrite#visibility}).
 */
public interface VisibilityStore {
  /** Up to {@code limit} runs matching the query, in its order, after its keyset position. */
  List<VisibilityRecord> list(VisibilityQuery query, int limit);

  /** How many runs match (order and keyset position are ignored). */
  long count(VisibilityQuery query);

  /** How many runs match, per {@code WorkflowExecutionStatus} number. */
  Map<Integer, Long> countByStatus(VisibilityQuery query);

  /**
   * Writes index rows of runs, with their search attribute values, in one transaction and without
   * their executions: a bulk load for imports and the visibility benchmark, not a path the server
   * takes (it writes a run's row with the run's own change, {@link ExecutionWrite#visibility}).
   */
  void load(List<VisibilityRecord> records);

  /**
   * The database's plan for {@link #list} ({@code count} false) or {@link #count} of a query, one
   * line per step: {@code EXPLAIN QUERY PLAN} on SQLite, {@code EXPLAIN} on PostgreSQL.
   */
  List<String> explain(VisibilityQuery query, boolean count, int limit);

  /** The custom search attributes registered in a namespace: name → {@code IndexedValueType} number. */
  Map<String, Integer> searchAttributes(String namespaceId);

  /** Registers attributes (name → {@code IndexedValueType} number); existing ones are left as they are. */
  void addSearchAttributes(String namespaceId, Map<String, Integer> attributes);

  /** Unregisters attributes; values already indexed stay until their runs are written again. */
  void removeSearchAttributes(String namespaceId, Set<String> names);
}
