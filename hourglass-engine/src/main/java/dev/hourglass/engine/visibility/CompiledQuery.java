package dev.hourglass.engine.visibility;

import static java.util.Objects.requireNonNull;

import dev.hourglass.store.VisibilityQuery.SortColumn;
import java.util.List;

/**
 * A list filter compiled to SQL over the {@code visibility} table (alias {@code v}).
 *
 * @param condition "" when the query has no condition
 * @param parameters the values of the {@code ?} placeholders, in order (String, Long, Double)
 * @param groupByStatus whether the query ends with {@code GROUP BY ExecutionStatus}
 */
record CompiledQuery(String condition, List<Object> parameters, List<SortColumn> order, boolean groupByStatus) {
  CompiledQuery {
    requireNonNull(condition, "condition is null");
    parameters = List.copyOf(parameters);
    order = List.copyOf(order);
  }
}
