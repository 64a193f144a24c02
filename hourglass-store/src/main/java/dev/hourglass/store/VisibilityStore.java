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

  /** The custom search attributes registered in a namespace: name → {@code IndexedValueType} number. */
  Map<String, Integer> searchAttributes(String namespaceId);

  /** Registers attributes (name → {@code IndexedValueType} number); existing ones are left as they are. */
  void addSearchAttributes(String namespaceId, Map<String, Integer> attributes);

  /** Unregisters attributes; values already indexed stay until their runs are written again. */
  void removeSearchAttributes(String namespaceId, Set<String> names);
}
