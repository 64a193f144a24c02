package dev.hourglass.engine.visibility;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A parsed list filter (Temporal's visibility query language): an optional condition, ORDER BY
 * terms and GROUP BY names. Positions are 1-based character offsets in the query text, for
 * error messages.
 */
record ListQuery(Optional<Condition> where, List<OrderTerm> orderBy, List<Name> groupBy) {
  ListQuery {
    requireNonNull(where, "where is null");
    orderBy = List.copyOf(orderBy);
    groupBy = List.copyOf(groupBy);
  }

  /** An attribute name as written, with where it was written. */
  record Name(String text, int position) {}

  /** A literal: a {@code String}, a {@code java.math.BigDecimal} or a {@code Boolean}. */
  record Literal(Object value, int position) {
    String describe() {
      return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }
  }

  record OrderTerm(Name name, boolean descending) {}

  enum Operator {
    EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    final String sql;

    Operator(String sql) {
      this.sql = sql;
    }
  }

  sealed interface Condition permits And, Or, Not, Compare, In, Between, StartsWith, IsNull {}

  record And(List<Condition> operands) implements Condition {}

  record Or(List<Condition> operands) implements Condition {}

  record Not(Condition operand) implements Condition {}

  record Compare(Name name, Operator operator, Literal value) implements Condition {}

  record In(Name name, List<Literal> values, boolean negated) implements Condition {}

  record Between(Name name, Literal low, Literal high, boolean negated) implements Condition {}

  record StartsWith(Name name, Literal prefix) implements Condition {}

  record IsNull(Name name, boolean negated) implements Condition {}
}
