package dev.hourglass.engine.visibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.engine.visibility.ListQuery.And;
import dev.hourglass.engine.visibility.ListQuery.Between;
import dev.hourglass.engine.visibility.ListQuery.Compare;
import dev.hourglass.engine.visibility.ListQuery.In;
import dev.hourglass.engine.visibility.ListQuery.IsNull;
import dev.hourglass.engine.visibility.ListQuery.Not;
import dev.hourglass.engine.visibility.ListQuery.Operator;
import dev.hourglass.engine.visibility.ListQuery.Or;
import dev.hourglass.engine.visibility.ListQuery.StartsWith;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ListQueryParserTest {
  @Test
  void andBindsTighterThanOrAndParenthesesOverrideIt() {
    Or or = (Or) ListQueryParser.parse("A = 'x' OR B = 'y' AND C = 'z'").where().orElseThrow();
    assertThat(or.operands()).hasSize(2);
    assertThat(or.operands().get(1)).isInstanceOf(And.class);

    And and = (And) ListQueryParser.parse("(A = 'x' or B = 'y') and C = 'z'").where().orElseThrow();
    assertThat(and.operands().get(0)).isInstanceOf(Or.class);
  }

  @Test
  void everyPredicateFormParses() {
    assertThat(where("WorkflowId != 'a'")).isEqualTo(compare("WorkflowId", Operator.NE, "a", 15));
    assertThat(where("WorkflowId <> 'a'")).isEqualTo(compare("WorkflowId", Operator.NE, "a", 15));
    assertThat(((Compare) where("HistoryLength >= 10")).value().value()).isEqualTo(new BigDecimal("10"));
    assertThat(((Compare) where("CustomDoubleField < -1.5e3")).value().value()).isEqualTo(new BigDecimal("-1.5e3"));
    assertThat(((Compare) where("CustomBoolField = TRUE")).value().value()).isEqualTo(true);
    assertThat(((In) where("WorkflowType in ('a', \"b\")")).values()).hasSize(2);
    assertThat(((In) where("WorkflowType NOT IN ('a')")).negated()).isTrue();
    assertThat(((Between) where("StartTime BETWEEN '2024-01-01T00:00:00Z' AND '2024-02-01T00:00:00Z'")).negated()).isFalse();
    assertThat(((Between) where("StartTime not between 1 and 2")).negated()).isTrue();
    assertThat(where("WorkflowId STARTS_WITH 'order-'")).isInstanceOf(StartsWith.class);
    assertThat(((IsNull) where("CloseTime IS NULL")).negated()).isFalse();
    assertThat(((IsNull) where("CloseTime is not null")).negated()).isTrue();
    assertThat(where("NOT NOT WorkflowId = 'a'")).isInstanceOf(Not.class);
    assertThat(((Compare) where("`Custom Field` = 'it''s'")).name().text()).isEqualTo("Custom Field");
    assertThat(((Compare) where("A = 'it\\'s'")).value().value()).isEqualTo("it's");
  }

  @Test
  void orderByAndGroupByFollowTheCondition() {
    ListQuery query = ListQueryParser.parse("WorkflowType = 'a' ORDER BY StartTime DESC, WorkflowId");
    assertThat(query.orderBy()).hasSize(2);
    assertThat(query.orderBy().get(0).descending()).isTrue();
    assertThat(query.orderBy().get(1).descending()).isFalse();

    ListQuery grouped = ListQueryParser.parse("GROUP BY ExecutionStatus");
    assertThat(grouped.where()).isEmpty();
    assertThat(grouped.groupBy()).extracting(ListQuery.Name::text).containsExactly("ExecutionStatus");
    assertThat(ListQueryParser.parse("  ").where()).isEmpty();
  }

  @Test
  void malformedQueriesNameWhatIsWrongAndWhere() {
    assertError("WorkflowId = ", "expected a value", "position 14");
    assertError("WorkflowId 'a'", "expected an operator", "position 12");
    assertError("WorkflowId = 'a' AND", "expected a search attribute name", "position 21");
    assertError("(WorkflowId = 'a'", "expected ')'", "position 18");
    assertError("WorkflowId = 'a' WorkflowType = 'b'", "expected AND, OR, ORDER BY", "position 18");
    assertError("WorkflowId = 'abc", "unterminated string", "position 14");
    assertError("WorkflowId ! 'a'", "expected '=' after '!'", "position 12");
    assertError("WorkflowId = 'a' ; DROP TABLE visibility", "unexpected character ';'", "position 18");
    assertError("WorkflowId IN ('a' 'b')", "expected ')' or ','", "position 20");
    assertError("WorkflowId NOT = 'a'", "expected IN or BETWEEN after NOT", "position 16");
    assertError("ORDER StartTime", "expected BY", "position 7");
    assertError("AND = 'a'", "expected a search attribute name", "position 1");
  }

  private static ListQuery.Condition where(String text) {
    return ListQueryParser.parse(text).where().orElseThrow();
  }

  private static Compare compare(String name, Operator operator, String value, int valuePosition) {
    return new Compare(new ListQuery.Name(name, 1), operator, new ListQuery.Literal(value, valuePosition));
  }

  private static void assertError(String query, String... parts) {
    assertThatThrownBy(() -> ListQueryParser.parse(query))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("invalid query: ")
        .hasMessageContainingAll(parts);
  }
}
