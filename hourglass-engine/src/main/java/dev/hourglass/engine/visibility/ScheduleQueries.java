package dev.hourglass.engine.visibility;

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
import dev.hourglass.engine.visibility.ListQuery.StartsWith;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The filter of ListSchedules and CountSchedules, as Temporal applies it: schedules are the
 * running executions of its scheduler workflow, so a schedule query becomes
 * {@code TemporalNamespaceDivision = 'TemporalScheduler' AND ExecutionStatus = 'Running' AND (query)}.
 * The query may name custom search attributes, {@code TemporalSchedulePaused} and
 * {@code ScheduleId} (rewritten to the scheduler's workflow id); any other system attribute is
 * refused, with Temporal's message.
 */
final class ScheduleQueries {
  static final String SCHEDULE_ID = "ScheduleId";
  private static final String SCHEDULE_PAUSED = "TemporalSchedulePaused";
  private static final String DIVISION = "TemporalNamespaceDivision";
  private static final String SCHEDULER_DIVISION = "TemporalScheduler";

  private final Set<String> systemNames;
  private final String workflowIdPrefix;

  private ScheduleQueries(Set<String> systemNames, String workflowIdPrefix) {
    this.systemNames = systemNames;
    this.workflowIdPrefix = workflowIdPrefix;
  }

  /**
   * @param systemNames every system attribute (those a schedule query may not name, but TemporalSchedulePaused)
   * @param workflowIdPrefix what the scheduler's workflow id puts before the schedule id
   */
  static ListQuery scoped(ListQuery query, Set<String> systemNames, String workflowIdPrefix) {
    if (!query.groupBy().isEmpty()) {
      throw new InvalidArgumentException("invalid query: GROUP BY is not supported for schedules");
    }
    if (!query.orderBy().isEmpty()) {
      throw new InvalidArgumentException("invalid query: ORDER BY is not supported for schedules");
    }
    ScheduleQueries rewriter = new ScheduleQueries(systemNames, workflowIdPrefix);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(new Compare(new Name(DIVISION, 0), Operator.EQ, new Literal(SCHEDULER_DIVISION, 0)));
    conditions.add(new Compare(new Name("ExecutionStatus", 0), Operator.EQ, new Literal("Running", 0)));
    query.where().map(rewriter::rewrite).ifPresent(conditions::add);
    return new ListQuery(Optional.of(new And(conditions)), List.of(), List.of());
  }

  private Condition rewrite(Condition condition) {
    if (condition instanceof And and) {
      return new And(and.operands().stream().map(this::rewrite).toList());
    } else if (condition instanceof Or or) {
      return new Or(or.operands().stream().map(this::rewrite).toList());
    } else if (condition instanceof Not not) {
      return new Not(rewrite(not.operand()));
    } else if (condition instanceof Compare compare) {
      return new Compare(name(compare.name()), compare.operator(), value(compare.name(), compare.value()));
    } else if (condition instanceof In in) {
      return new In(name(in.name()), in.values().stream().map(value -> value(in.name(), value)).toList(), in.negated());
    } else if (condition instanceof Between between) {
      return new Between(name(between.name()), value(between.name(), between.low()), value(between.name(), between.high()),
          between.negated());
    } else if (condition instanceof StartsWith startsWith) {
      return new StartsWith(name(startsWith.name()), value(startsWith.name(), startsWith.prefix()));
    }
    IsNull isNull = (IsNull) condition;
    return new IsNull(name(isNull.name()), isNull.negated());
  }

  private Name name(Name name) {
    if (name.text().equals(SCHEDULE_ID)) {
      return new Name("WorkflowId", name.position());
    }
    if (systemNames.contains(name.text()) && !name.text().equals(SCHEDULE_PAUSED)) {
      throw new InvalidArgumentException("invalid query filter for schedules: cannot filter on \"" + name.text() + "\"");
    }
    return name;
  }

  private Literal value(Name name, Literal value) {
    if (name.text().equals(SCHEDULE_ID) && value.value() instanceof String scheduleId) {
      return new Literal(workflowIdPrefix + scheduleId, value.position());
    }
    return value;
  }
}
