package dev.hourglass.engine.visibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.store.VisibilityQuery.SortColumn;
import io.temporal.api.enums.v1.IndexedValueType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListQueryCompilerTest {
  private static final Map<String, IndexedValueType> CUSTOM = Map.of(
      "TemporalNamespaceDivision", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      "Color", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      "Tags", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
      "Count", IndexedValueType.INDEXED_VALUE_TYPE_INT,
      "Price", IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
      "Paid", IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
      "Due", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
      "Note", IndexedValueType.INDEXED_VALUE_TYPE_TEXT);

  private static final String HIDE_DIVISIONS = "NOT v.run_id IN (SELECT a.run_id FROM visibility_search_attributes a"
      + " WHERE a.namespace_id = ? AND a.name = ?)";

  @Test
  void systemAttributesAreColumnsWithConvertedParameters() {
    CompiledQuery query = compileVisible("ExecutionStatus = 'Completed' AND StartTime >= '2024-01-01T00:00:00Z'"
        + " AND ExecutionDuration > '1h30m' AND WorkflowType IN ('a', 'b') AND CloseTime IS NULL");
    assertThat(query.condition()).isEqualTo("(v.status = ? AND v.start_time >= ? AND v.execution_duration > ?"
        + " AND v.workflow_type IN (?, ?) AND v.close_time IS NULL)");
    assertThat(query.parameters()).containsExactly(2L, 1_704_067_200_000L, 5_400_000L, "a", "b");
    assertThat(query.order()).isEqualTo(ListQueryCompiler.DEFAULT_ORDER);
  }

  @Test
  void valuesNeverEnterTheSqlText() {
    CompiledQuery query = compileVisible("WorkflowId = 'x'' OR 1=1 --' OR WorkflowId STARTS_WITH 'abc'");
    assertThat(query.condition()).isEqualTo(
        "(v.workflow_id = ? OR (v.workflow_id >= ? AND v.workflow_id < ? AND substr(v.workflow_id, 1, ?) = ?))");
    assertThat(query.parameters()).containsExactly("x' OR 1=1 --", "abc", "abd", 3, "abc");
  }

  @Test
  void aPrefixIsARangeClosedAfterItsLastCharacter() {
    assertThat(ListQueryCompiler.prefixUpperBound("wf-07")).contains("wf-08");
    assertThat(ListQueryCompiler.prefixUpperBound("a\uD7FF")).contains("a\uE000");
    assertThat(ListQueryCompiler.prefixUpperBound("a" + new String(Character.toChars(Character.MAX_CODE_POINT)))).contains("b");
    assertThat(ListQueryCompiler.prefixUpperBound(new String(Character.toChars(Character.MAX_CODE_POINT)))).isEmpty();
    assertThat(ListQueryCompiler.prefixUpperBound("")).isEmpty();
  }

  @Test
  void customAttributesSelectRunsThroughTheirTypedValues() {
    String subquery = "v.run_id IN (SELECT a.run_id FROM visibility_search_attributes a WHERE a.namespace_id = ? AND a.name = ?";
    assertThat(compileVisible("Count BETWEEN 1 AND 5").condition()).isEqualTo(subquery + " AND a.int_value BETWEEN ? AND ?)");
    assertThat(compileVisible("Count BETWEEN 1 AND 5").parameters()).containsExactly("ns", "Count", 1L, 5L);
    assertThat(compileVisible("Price < 2.5").parameters()).containsExactly("ns", "Price", 2.5);
    assertThat(compileVisible("Paid = true").parameters()).containsExactly("ns", "Paid", 1L);
    assertThat(compileVisible("Due > '2024-01-01T01:00:00+01:00'").parameters()).containsExactly("ns", "Due", 1_704_067_200_000L);
    assertThat(compileVisible("Color IS NULL").condition()).isEqualTo("NOT " + subquery + ")");
    assertThat(compileVisible("Tags != 'x'").condition()).isEqualTo("NOT " + subquery + " AND a.text_value = ?)");
    assertThat(compileVisible("Color != 'x'").condition()).isEqualTo(subquery + " AND a.text_value != ?)");
    assertThat(compileVisible("Note = 'Big, world!'").condition())
        .isEqualTo("(" + subquery + " AND a.text_value = ?) AND " + subquery + " AND a.text_value = ?))");
    assertThat(compileVisible("Note = 'Big, world!'").parameters()).containsExactly("ns", "Note", "big", "ns", "Note", "world");
  }

  @Test
  void orderByUsesNeverNullColumnsAndGroupByOnlyStatus() {
    assertThat(compileVisible("ORDER BY CloseTime ASC, WorkflowId DESC").order())
        .containsExactly(new SortColumn("close_order", false), new SortColumn("workflow_id", true));
    assertThat(compileVisible("GROUP BY ExecutionStatus").groupByStatus()).isTrue();
    assertInvalid("ORDER BY ParentWorkflowId", "ORDER BY ParentWorkflowId is not supported", "position 10");
    assertThat(compileVisible("ORDER BY Count DESC, Price, Paid, Due, Color DESC, StartTime").order()).containsExactly(
        new SortColumn("int_value", true, Optional.of("Count")), new SortColumn("double_value", false, Optional.of("Price")),
        new SortColumn("int_value", false, Optional.of("Paid")), new SortColumn("int_value", false, Optional.of("Due")),
        new SortColumn("text_value", true, Optional.of("Color")), new SortColumn("start_time", false));
    assertInvalid("ORDER BY Note", "unable to sort by field of Text type, use field of type Keyword", "position 10");
    assertInvalid("ORDER BY Color, Tags DESC", "unable to sort by field of KeywordList type, use field of type Keyword", "position 17");
    assertInvalid("ORDER BY Missing", "unknown search attribute Missing", "position 10");
    assertInvalid("GROUP BY WorkflowType", "GROUP BY is supported only on ExecutionStatus", "position 10");
  }

  @Test
  void valuesOfTheWrongKindAreRefusedWithTheirPosition() {
    assertInvalid("Unknown = 'a'", "unknown search attribute Unknown", "position 1");
    assertInvalid("WorkflowId = 5", "expected a quoted string for WorkflowId, found 5", "position 14");
    assertInvalid("ExecutionStatus = 'Done'", "unknown ExecutionStatus 'Done'", "position 19");
    assertInvalid("StartTime < 'soon'", "expected an RFC 3339 time", "position 13");
    assertInvalid("ExecutionDuration > 'long'", "expected a duration", "position 21");
    assertInvalid("Count = 1.5", "expected an integer for Count", "position 9");
    assertInvalid("Paid = 'yes'", "expected true or false for Paid", "position 8");
    assertInvalid("Note > 'a'", "operator > is not supported on Text attribute Note");
    assertInvalid("Tags < 'a'", "operator < is not supported on KeywordList attribute Tags");
    assertInvalid("StartTime STARTS_WITH '2024'", "STARTS_WITH is supported only on Keyword attributes");
  }

  @Test
  void runsOfNamespaceDivisionsAreLeftOutUnlessTheQueryNamesThem() {
    assertThat(compile("").condition()).isEqualTo(HIDE_DIVISIONS);
    assertThat(compile("").parameters()).containsExactly("ns", "TemporalNamespaceDivision");
    assertThat(compile("WorkflowId = 'a' OR RunId = 'b'").condition())
        .isEqualTo("((v.workflow_id = ? OR v.run_id = ?)) AND " + HIDE_DIVISIONS);
    assertThat(compile("WorkflowId = 'a' OR RunId = 'b'").parameters()).containsExactly("a", "b", "ns", "TemporalNamespaceDivision");
    assertThat(compile("TemporalNamespaceDivision = 'TemporalScheduler'").condition()).doesNotContain("NOT");
  }

  @Test
  void durationsInGoAndClockForms() {
    assertThat(Durations.parseMillis("1h30m")).contains(5_400_000L);
    assertThat(Durations.parseMillis("1.5s")).contains(1_500L);
    assertThat(Durations.parseMillis("250ms")).contains(250L);
    assertThat(Durations.parseMillis("01:02:03")).contains(3_723_000L);
    assertThat(Durations.parseMillis("1x")).isEmpty();
    assertThat(Durations.parseMillis("h")).isEmpty();
  }

  /** The query as compiled, less the namespace-division exclusion every query without that attribute gets. */
  private static CompiledQuery compileVisible(String text) {
    CompiledQuery query = compile(text);
    if (!query.condition().endsWith(HIDE_DIVISIONS)) {
      return query;
    }
    String condition = query.condition().substring(0, query.condition().length() - HIDE_DIVISIONS.length());
    if (condition.startsWith("(") && condition.endsWith(") AND ")) {
      condition = condition.substring(1, condition.length() - ") AND ".length());
    }
    List<Object> parameters = query.parameters().subList(0, query.parameters().size() - 2);
    return new CompiledQuery(condition, parameters, query.order(), query.groupByStatus());
  }

  private static CompiledQuery compile(String text) {
    return ListQueryCompiler.compile(ListQueryParser.parse(text), "ns", name -> Optional.ofNullable(CUSTOM.get(name)));
  }

  private static void assertInvalid(String text, String... parts) {
    assertThatThrownBy(() -> compileVisible(text)).isInstanceOf(InvalidArgumentException.class).hasMessageContainingAll(parts);
  }

}
