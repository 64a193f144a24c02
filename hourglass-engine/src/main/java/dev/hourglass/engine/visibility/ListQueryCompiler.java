package dev.hourglass.engine.visibility;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.engine.visibility.ListQuery.And;
import dev.hourglass.engine.visibility.ListQuery.Between;
import dev.hourglass.engine.visibility.ListQuery.Compare;
import dev.hourglass.engine.visibility.ListQuery.Condition;
import dev.hourglass.engine.visibility.ListQuery.In;
import dev.hourglass.engine.visibility.ListQuery.IsNull;
import dev.hourglass.engine.visibility.ListQuery.Literal;
import dev.hourglass.engine.visibility.ListQuery.Name;
import dev.hourglass.engine.visibility.ListQuery.Not;
import dev.hourglass.engine.visibility.ListQuery.Operator;
import dev.hourglass.engine.visibility.ListQuery.Or;
import dev.hourglass.engine.visibility.ListQuery.OrderTerm;
import dev.hourglass.engine.visibility.ListQuery.StartsWith;
import dev.hourglass.store.VisibilityQuery.SortColumn;
import io.temporal.api.enums.v1.IndexedValueType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compiles a parsed list filter to a parameterized SQL condition over the {@code visibility}
 * table. System attributes are columns; custom ones select run ids from
 * {@code visibility_search_attributes} through its (namespace, name, value) indexes. Values are
 * always bound as parameters, never written into the SQL text.
 *
 * <p>Comparisons follow SQL: a condition on an attribute a run does not have is not true for it
 * (so {@code X != 'a'} does not match runs without X; use {@code X IS NULL} for those). For a
 * KeywordList, {@code =} means "contains", and {@code !=} / {@code NOT IN} "does not contain".
 */
final class ListQueryCompiler {
  static final List<SortColumn> DEFAULT_ORDER = List.of(new SortColumn("close_order", true), new SortColumn("start_time", true));

  private static final String NAMESPACE_DIVISION = "TemporalNamespaceDivision";

  private final String namespaceId;
  private final Function<String, Optional<IndexedValueType>> customTypes;
  private final StringBuilder sql = new StringBuilder();
  private final List<Object> parameters = new ArrayList<>();

  private ListQueryCompiler(String namespaceId, Function<String, Optional<IndexedValueType>> customTypes) {
    this.namespaceId = requireNonNull(namespaceId, "namespaceId is null");
    this.customTypes = requireNonNull(customTypes, "customTypes is null");
  }

  /**
   * @param customTypes the type of a non-system attribute of the namespace, if it exists
   */
  static CompiledQuery compile(ListQuery query, String namespaceId, Function<String, Optional<IndexedValueType>> customTypes) {
    ListQueryCompiler compiler = new ListQueryCompiler(namespaceId, customTypes);
    query.where().ifPresent(compiler::condition);
    if (query.where().map(where -> !mentions(where, NAMESPACE_DIVISION)).orElse(true)) {
      compiler.hideNamespaceDivisions(query.where().isPresent());
    }
    return new CompiledQuery(compiler.sql.toString(), compiler.parameters, compiler.order(query.orderBy()), groupByStatus(query));
  }

  /**
   * Leaves out runs of a namespace division (the schedules' own workflows), as Temporal's list
   * does unless the query names {@code TemporalNamespaceDivision}.
   */
  private void hideNamespaceDivisions(boolean afterCondition) {
    if (afterCondition) {
      sql.insert(0, '(').append(") AND ");
    }
    new CustomTarget(NAMESPACE_DIVISION, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD).isNull(new IsNull(new Name(NAMESPACE_DIVISION, 0), false));
  }

  private static boolean mentions(Condition condition, String name) {
    if (condition instanceof And and) {
      return and.operands().stream().anyMatch(operand -> mentions(operand, name));
    }
    if (condition instanceof Or or) {
      return or.operands().stream().anyMatch(operand -> mentions(operand, name));
    }
    if (condition instanceof Not not) {
      return mentions(not.operand(), name);
    }
    Name named = condition instanceof Compare compare ? compare.name()
        : condition instanceof In in ? in.name()
        : condition instanceof Between between ? between.name()
        : condition instanceof StartsWith startsWith ? startsWith.name()
        : ((IsNull) condition).name();
    return named.text().equals(name);
  }

  private List<SortColumn> order(List<OrderTerm> terms) {
    if (terms.isEmpty()) {
      return DEFAULT_ORDER;
    }
    List<SortColumn> order = new ArrayList<>();
    for (OrderTerm term : terms) {
      order.add(sortColumn(term));
    }
    return order;
  }

  /**
   * A system attribute orders by its column; a custom one by its value in
   * visibility_search_attributes (runs without it last), except Text and KeywordList, which
   * Temporal's Elasticsearch visibility does not sort either (a Text is many words, a list many values).
   */
  private SortColumn sortColumn(OrderTerm term) {
    Name name = term.name();
    Optional<SystemAttribute> system = SystemAttribute.named(name.text());
    if (system.isPresent()) {
      if (system.get().sortColumn() == null) {
        throw invalid("ORDER BY " + name.text() + " is not supported (order by WorkflowId, WorkflowType, RunId, TaskQueue,"
            + " ExecutionStatus, StartTime, ExecutionTime, CloseTime, HistoryLength, HistorySizeBytes or a custom attribute"
            + " other than Text and KeywordList)", name.position());
      }
      return new SortColumn(system.get().sortColumn(), term.descending());
    }
    IndexedValueType type = customTypes.apply(name.text())
        .orElseThrow(() -> invalid("unknown search attribute " + name.text(), name.position()));
    String column = switch (type) {
      case INDEXED_VALUE_TYPE_INT, INDEXED_VALUE_TYPE_BOOL, INDEXED_VALUE_TYPE_DATETIME -> "int_value";
      case INDEXED_VALUE_TYPE_DOUBLE -> "double_value";
      case INDEXED_VALUE_TYPE_KEYWORD -> "text_value";
      default -> throw invalid("unable to sort by field of " + TypedValues.typeName(type) + " type, use field of type Keyword",
          name.position());
    };
    return new SortColumn(column, term.descending(), Optional.of(name.text()));
  }

  private static boolean groupByStatus(ListQuery query) {
    for (Name name : query.groupBy()) {
      if (!name.text().equals("ExecutionStatus") || query.groupBy().size() > 1) {
        throw invalid("GROUP BY is supported only on ExecutionStatus", name.position());
      }
    }
    return !query.groupBy().isEmpty();
  }

  private void condition(Condition condition) {
    if (condition instanceof And and) {
      join(and.operands(), " AND ");
    } else if (condition instanceof Or or) {
      join(or.operands(), " OR ");
    } else if (condition instanceof Not not) {
      sql.append("NOT (");
      condition(not.operand());
      sql.append(')');
    } else if (condition instanceof Compare compare) {
      predicate(compare.name(), attribute -> attribute.compare(compare));
    } else if (condition instanceof In in) {
      predicate(in.name(), attribute -> attribute.in(in));
    } else if (condition instanceof Between between) {
      predicate(between.name(), attribute -> attribute.between(between));
    } else if (condition instanceof StartsWith startsWith) {
      predicate(startsWith.name(), attribute -> attribute.startsWith(startsWith));
    } else if (condition instanceof IsNull isNull) {
      predicate(isNull.name(), attribute -> attribute.isNull(isNull));
    }
  }

  private void join(List<Condition> operands, String operator) {
    sql.append('(');
    for (int i = 0; i < operands.size(); i++) {
      if (i > 0) {
        sql.append(operator);
      }
      condition(operands.get(i));
    }
    sql.append(')');
  }

  private void predicate(Name name, java.util.function.Consumer<Target> emit) {
    Optional<SystemAttribute> system = SystemAttribute.named(name.text());
    if (system.isPresent()) {
      emit.accept(new ColumnTarget(system.get()));
      return;
    }
    IndexedValueType type = customTypes.apply(name.text())
        .orElseThrow(() -> invalid("unknown search attribute " + name.text(), name.position()));
    emit.accept(new CustomTarget(name.text(), type));
  }

  /** Where an attribute's values live and how each predicate is written on them. */
  private interface Target {
    void compare(Compare compare);

    void in(In in);

    void between(Between between);

    void startsWith(StartsWith startsWith);

    void isNull(IsNull isNull);
  }

  /** A system attribute: a column of the visibility row. */
  private final class ColumnTarget implements Target {
    private final SystemAttribute attribute;
    private final String column;

    ColumnTarget(SystemAttribute attribute) {
      this.attribute = attribute;
      this.column = "v." + attribute.column();
    }

    @Override
    public void compare(Compare compare) {
      sql.append(column).append(' ').append(compare.operator().sql).append(" ?");
      parameters.add(value(compare.value()));
    }

    @Override
    public void in(In in) {
      sql.append(column).append(in.negated() ? " NOT IN (" : " IN (");
      placeholders(in.values(), this::value);
      sql.append(')');
    }

    @Override
    public void between(Between between) {
      sql.append(column).append(between.negated() ? " NOT BETWEEN ? AND ?" : " BETWEEN ? AND ?");
      parameters.add(value(between.low()));
      parameters.add(value(between.high()));
    }

    @Override
    public void startsWith(StartsWith startsWith) {
      if (attribute.kind() != SystemAttribute.Kind.KEYWORD) {
        throw invalid("STARTS_WITH is supported only on Keyword attributes, not on " + attribute.name(), startsWith.prefix().position());
      }
      sql.append('(');
      prefixMatch(column, text(startsWith.prefix(), attribute.name()));
      sql.append(')');
    }

    @Override
    public void isNull(IsNull isNull) {
      sql.append(column).append(isNull.negated() ? " IS NOT NULL" : " IS NULL");
    }

    private Object value(Literal literal) {
      return switch (attribute.kind()) {
        case KEYWORD -> text(literal, attribute.name());
        case STATUS -> (long) status(literal);
        case TIME -> time(literal, attribute.name());
        case DURATION -> duration(literal);
        case INT -> integer(literal, attribute.name());
      };
    }
  }

  /** A custom (or predefined) attribute: rows of visibility_search_attributes. */
  private final class CustomTarget implements Target {
    private final String name;
    private final IndexedValueType type;
    private final String column;

    CustomTarget(String name, IndexedValueType type) {
      this.name = name;
      this.type = type;
      this.column = switch (type) {
        case INDEXED_VALUE_TYPE_DOUBLE -> "a.double_value";
        case INDEXED_VALUE_TYPE_INT, INDEXED_VALUE_TYPE_BOOL, INDEXED_VALUE_TYPE_DATETIME -> "a.int_value";
        default -> "a.text_value";
      };
    }

    private boolean isList() {
      return type == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;
    }

    private boolean isText() {
      return type == IndexedValueType.INDEXED_VALUE_TYPE_TEXT;
    }

    @Override
    public void compare(Compare compare) {
      Operator operator = compare.operator();
      if (isText()) {
        if (operator != Operator.EQ && operator != Operator.NE) {
          throw unsupported(operator.sql, compare.value().position());
        }
        textMatch(compare.value(), operator == Operator.NE);
        return;
      }
      if (operator != Operator.EQ && operator != Operator.NE
          && (isList() || type == IndexedValueType.INDEXED_VALUE_TYPE_BOOL)) {
        throw unsupported(operator.sql, compare.value().position());
      }
      if (operator == Operator.NE && isList()) {
        // "does not contain": no element equals the value
        sql.append("NOT ");
        subquery(() -> {
          sql.append(" AND ").append(column).append(" = ?");
          parameters.add(value(compare.value()));
        });
        return;
      }
      subquery(() -> {
        sql.append(" AND ").append(column).append(' ').append(operator.sql).append(" ?");
        parameters.add(value(compare.value()));
      });
    }

    @Override
    public void in(In in) {
      if (isText()) {
        throw unsupported("IN", in.values().get(0).position());
      }
      boolean listNegation = in.negated() && isList();
      if (listNegation) {
        sql.append("NOT ");
      }
      subquery(() -> {
        sql.append(" AND ").append(column).append(in.negated() && !listNegation ? " NOT IN (" : " IN (");
        placeholders(in.values(), this::value);
        sql.append(')');
      });
    }

    @Override
    public void between(Between between) {
      if (isText() || isList() || type == IndexedValueType.INDEXED_VALUE_TYPE_BOOL) {
        throw unsupported("BETWEEN", between.low().position());
      }
      subquery(() -> {
        sql.append(" AND ").append(column).append(between.negated() ? " NOT BETWEEN ? AND ?" : " BETWEEN ? AND ?");
        parameters.add(value(between.low()));
        parameters.add(value(between.high()));
      });
    }

    @Override
    public void startsWith(StartsWith startsWith) {
      if (type != IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD && !isList()) {
        throw unsupported("STARTS_WITH", startsWith.prefix().position());
      }
      String prefix = text(startsWith.prefix(), name);
      subquery(() -> {
        sql.append(" AND ");
        prefixMatch(column, prefix);
      });
    }

    @Override
    public void isNull(IsNull isNull) {
      if (!isNull.negated()) {
        sql.append("NOT ");
      }
      subquery(() -> { });
    }

    /** Every word of the value must be among the run's words (Temporal matches Text by words). */
    private void textMatch(Literal literal, boolean negated) {
      List<String> words = TypedValues.words(text(literal, name));
      if (words.isEmpty()) {
        throw invalid("the value for Text attribute " + name + " has no words", literal.position());
      }
      sql.append(negated ? "NOT (" : "(");
      for (int i = 0; i < words.size(); i++) {
        if (i > 0) {
          sql.append(" AND ");
        }
        String word = words.get(i);
        subquery(() -> {
          sql.append(" AND a.text_value = ?");
          parameters.add(word);
        });
      }
      sql.append(')');
    }

    /** {@code v.run_id IN (runs having a value of this attribute [that matches what body adds])}. */
    private void subquery(Runnable body) {
      sql.append("v.run_id IN (SELECT a.run_id FROM visibility_search_attributes a WHERE a.namespace_id = ? AND a.name = ?");
      parameters.add(namespaceId);
      parameters.add(name);
      body.run();
      sql.append(')');
    }

    private Object value(Literal literal) {
      return switch (type) {
        case INDEXED_VALUE_TYPE_INT -> integer(literal, name);
        case INDEXED_VALUE_TYPE_DOUBLE -> {
          if (!(literal.value() instanceof BigDecimal number)) {
            throw invalid("expected a number for " + name + ", found " + literal.describe(), literal.position());
          }
          yield number.doubleValue();
        }
        case INDEXED_VALUE_TYPE_BOOL -> {
          Object value = literal.value();
          if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            value = Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
          }
          if (!(value instanceof Boolean bool)) {
            throw invalid("expected true or false for " + name + ", found " + literal.describe(), literal.position());
          }
          yield bool ? 1L : 0L;
        }
        case INDEXED_VALUE_TYPE_DATETIME -> time(literal, name);
        default -> text(literal, name);
      };
    }

    private InvalidArgumentException unsupported(String operator, int position) {
      return invalid("operator " + operator + " is not supported on " + TypedValues.typeName(type) + " attribute " + name, position);
    }
  }

  /**
   * {@code column} starts with {@code prefix}: the range lets an index narrow the rows, substr
   * decides (it compares characters alike on every database, whatever its collation).
   */
  /**
   * {@code column STARTS_WITH prefix} as an index range plus an exact check. The range is closed
   * on both ends ({@code >= prefix AND < prefix with its last character incremented}) so that a
   * planner without value statistics sees a narrow range and uses the column's index, rather than
   * walking the whole namespace in list order as it did for {@code >= prefix} alone. Both stores
   * compare text by code point (SQLite's BINARY, PostgreSQL's "C"), the order of the bound.
   */
  private void prefixMatch(String column, String prefix) {
    Optional<String> upper = prefixUpperBound(prefix);
    sql.append(column).append(" >= ? AND ");
    parameters.add(prefix);
    upper.ifPresent(bound -> {
      sql.append(column).append(" < ? AND ");
      parameters.add(bound);
    });
    sql.append("substr(").append(column).append(", 1, ?) = ?");
    // An int: PostgreSQL has substr(text, int, int) and no implicit cast from bigint.
    parameters.add(prefix.length());
    parameters.add(prefix);
  }

  /**
   * The least string greater than every string starting with {@code prefix}: the prefix with its
   * last code point incremented (dropped when it is the largest code point). Empty when there is
   * none (an empty prefix, or one of largest code points only).
   */
  static Optional<String> prefixUpperBound(String prefix) {
    int[] codePoints = prefix.codePoints().toArray();
    for (int last = codePoints.length - 1; last >= 0; last--) {
      if (codePoints[last] < Character.MAX_CODE_POINT) {
        int next = codePoints[last] + 1;
        // Surrogate code points are not characters; U+E000 follows U+D7FF in UTF-8 order.
        codePoints[last] = next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE ? Character.MAX_SURROGATE + 1 : next;
        return Optional.of(new String(codePoints, 0, last + 1));
      }
    }
    return Optional.empty();
  }

  private void placeholders(List<Literal> values, Function<Literal, Object> convert) {
    for (int i = 0; i < values.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
      parameters.add(convert.apply(values.get(i)));
    }
  }

  // ---- values ----

  private static String text(Literal literal, String attribute) {
    if (literal.value() instanceof String text) {
      return text;
    }
    throw invalid("expected a quoted string for " + attribute + ", found " + literal.describe(), literal.position());
  }

  private static long integer(Literal literal, String attribute) {
    try {
      if (literal.value() instanceof BigDecimal number) {
        return number.longValueExact();
      }
      if (literal.value() instanceof String text) {
        return Long.parseLong(text.trim());
      }
    } catch (ArithmeticException | NumberFormatException e) {
      // reported below
    }
    throw invalid("expected an integer for " + attribute + ", found " + literal.describe(), literal.position());
  }

  /** An RFC 3339 time, or epoch nanoseconds as Temporal also accepts; in epoch milliseconds. */
  private static long time(Literal literal, String attribute) {
    if (literal.value() instanceof String text) {
      return TypedValues.parseTime(text).orElseThrow(() -> invalid("expected an RFC 3339 time such as '2024-05-01T10:00:00Z' for "
          + attribute + ", found " + literal.describe(), literal.position()));
    }
    if (literal.value() instanceof BigDecimal) {
      return integer(literal, attribute) / 1_000_000;
    }
    throw invalid("expected an RFC 3339 time for " + attribute + ", found " + literal.describe(), literal.position());
  }

  /** A duration ('1h30m', '90s', '250ms', '01:30:00') or nanoseconds; in milliseconds. */
  private static long duration(Literal literal) {
    if (literal.value() instanceof BigDecimal) {
      return integer(literal, "ExecutionDuration") / 1_000_000;
    }
    String text = text(literal, "ExecutionDuration");
    return Durations.parseMillis(text).orElseThrow(() -> invalid("expected a duration such as '1h30m', '90s' or '01:30:00' for"
        + " ExecutionDuration, found " + literal.describe(), literal.position()));
  }

  private static int status(Literal literal) {
    String text = text(literal, "ExecutionStatus");
    for (int status = 1; status <= VisibilityService.LAST_STATUS; status++) {
      if (VisibilityService.statusName(status).equalsIgnoreCase(text)) {
        return status;
      }
    }
    throw invalid("unknown ExecutionStatus '" + text + "' (use Running, Completed, Failed, Canceled, Terminated,"
        + " ContinuedAsNew or TimedOut)", literal.position());
  }

  private static InvalidArgumentException invalid(String message, int position) {
    return new InvalidArgumentException("invalid query: " + message + " at position " + position);
  }
}
