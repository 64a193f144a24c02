package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A compiled list filter of one namespace: a SQL condition over the {@code visibility} table
 * (alias {@code v}) with {@code ?} placeholders, its parameters (String, Long or Double), the
 * order, and for the next page the order values of the last row already returned (keyset paging).
 * The store adds the namespace and the keyset condition; values never enter the SQL text.
 *
 * @param condition "" for every run of the namespace
 * @param order sort columns; the store appends {@code run_id} as the last tie-breaker
 * @param after order values (then the run id) of the last row of the previous page; null for a
 *     search attribute the row does not have
 */
public record VisibilityQuery(String namespaceId, String condition, List<Object> parameters, List<SortColumn> order,
    Optional<List<Object>> after) {
  /**
   * What to order by: a column of the {@code visibility} table (never null in any row), or, with
   * {@code attribute}, the value column ({@code int_value}, {@code double_value} or
   * {@code text_value}) of that search attribute in {@code visibility_search_attributes}. Runs
   * without the attribute sort last in both directions, as Elasticsearch's {@code missing: _last}.
   */
  public record SortColumn(String column, boolean descending, Optional<String> attribute) {
    public SortColumn {
      requireNonNull(column, "column is null");
      requireNonNull(attribute, "attribute is null");
    }

    public SortColumn(String column, boolean descending) {
      this(column, descending, Optional.empty());
    }
  }

  public VisibilityQuery {
    requireNonNull(namespaceId, "namespaceId is null");
    requireNonNull(condition, "condition is null");
    parameters = List.copyOf(parameters);
    order = List.copyOf(order);
    requireNonNull(after, "after is null");
    if (after.isPresent() && after.get().size() != order.size() + 1) {
      throw new IllegalArgumentException("after must hold one value per sort column plus the run id");
    }
  }
}
