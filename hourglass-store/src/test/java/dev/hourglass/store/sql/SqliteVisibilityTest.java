package dev.hourglass.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.common.ExecutionKey;
import dev.hourglass.store.ExecutionRecord;
import dev.hourglass.store.ExecutionWrite;
import dev.hourglass.store.SearchAttributeValue;
import dev.hourglass.store.Stores;
import dev.hourglass.store.VisibilityQuery;
import dev.hourglass.store.VisibilityQuery.SortColumn;
import dev.hourglass.store.VisibilityRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Visibility rows written with their executions, keyset pages, and the plans of the common filters. */
class SqliteVisibilityTest {
  private static final List<SortColumn> DEFAULT_ORDER = List.of(new SortColumn("close_order", true), new SortColumn("start_time", true));
  private static final String CUSTOM = "v.run_id IN (SELECT a.run_id FROM visibility_search_attributes a"
      + " WHERE a.namespace_id = ? AND a.name = ? AND a.text_value = ?)";

  @TempDir Path directory;
  private SqliteDatabase database;
  private Stores stores;
  private long rangeId;

  @BeforeEach
  void open() {
    database = SqliteDatabase.open(directory.resolve("store.db"));
    stores = database.stores();
    stores.shards().shardCount(1);
    rangeId = stores.shards().acquireShard(0, "test");
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void rowsWrittenWithTheirExecutionArePagedByKeysetWithoutGapsOrRepeats() {
    for (int i = 0; i < 5; i++) {
      write("run-" + i, 1_000L * i, i % 2 == 0 ? 2_000L * i + 1 : 0, List.of(SearchAttributeValue.ofText("Color", 0, i < 3 ? "red" : "blue")));
    }
    List<String> listed = new ArrayList<>();
    Optional<List<Object>> after = Optional.empty();
    do {
      List<VisibilityRecord> page = stores.visibility().list(new VisibilityQuery("ns", "", List.of(), DEFAULT_ORDER, after), 2);
      page.forEach(row -> listed.add(row.runId()));
      after = page.size() < 2 ? Optional.empty() : Optional.of(position(page.get(page.size() - 1)));
    } while (after.isPresent());
    // Open runs first (by start time, newest first), then closed ones by close time, newest first.
    assertThat(listed).containsExactly("run-3", "run-1", "run-4", "run-2", "run-0");

    VisibilityQuery red = new VisibilityQuery("ns", CUSTOM, List.of("ns", "Color", "red"), DEFAULT_ORDER, Optional.empty());
    assertThat(stores.visibility().list(red, 10)).extracting(VisibilityRecord::runId).containsExactly("run-1", "run-2", "run-0");
    assertThat(stores.visibility().count(red)).isEqualTo(3);
    assertThat(stores.visibility().countByStatus(red)).containsEntry(1, 1L).containsEntry(2, 2L);
  }

  @Test
  void aSearchAttributeOrdersWithMissingValuesLastAndPagesOneRowAtATime() {
    // run-a and run-d tie on 2, run-c and run-e lack the attribute.
    long[] sizes = {2, 7, -1, 2, -1, 3};
    for (int i = 0; i < sizes.length; i++) {
      String runId = "run-" + (char) ('a' + i);
      write(runId, 1_000L * i, 5_000L, sizes[i] < 0 ? List.of() : List.of(SearchAttributeValue.ofInt("Size", 0, sizes[i]),
          SearchAttributeValue.ofText("Other", 0, "x")));
    }
    assertThat(pageByPage(new SortColumn("int_value", false, Optional.of("Size"))))
        .containsExactly("run-a", "run-d", "run-f", "run-b", "run-c", "run-e");
    assertThat(pageByPage(new SortColumn("int_value", true, Optional.of("Size"))))
        .containsExactly("run-b", "run-f", "run-d", "run-a", "run-e", "run-c");
    assertThat(pageByPage(new SortColumn("text_value", true, Optional.of("Missing"))))
        .containsExactly("run-f", "run-e", "run-d", "run-c", "run-b", "run-a");
  }

  /** Every run of the namespace by {@code order} (then run id in the same direction), read one row per page. */
  private List<String> pageByPage(SortColumn order) {
    List<String> listed = new ArrayList<>();
    Optional<List<Object>> after = Optional.empty();
    while (true) {
      List<VisibilityRecord> page = stores.visibility().list(new VisibilityQuery("ns", "", List.of(), List.of(order), after), 1);
      if (page.isEmpty()) {
        return listed;
      }
      VisibilityRecord row = page.get(0);
      listed.add(row.runId());
      // The value the store read for the order, or null when the run lacks the attribute.
      Object value = row.values().stream().findFirst().map(SearchAttributeValue::intValue).orElse(null);
      after = Optional.of(java.util.Arrays.asList(value, row.runId()));
    }
  }

  @Test
  void commonFiltersAreAnsweredThroughIndexes() throws Exception {
    assertPlan("v.status = ?", List.of(1L), "USING INDEX visibility_by_status");
    assertPlan("v.workflow_type = ?", List.of("t"), "USING INDEX visibility_by_type");
    assertPlan("v.workflow_id = ?", List.of("w"), "USING INDEX visibility_by_workflow_id");
    assertPlan("(v.status = ? AND v.workflow_type = ?)", List.of(2L, "t"), "USING INDEX visibility_by_");
    assertPlan("v.start_time BETWEEN ? AND ?", List.of(1L, 2L), "USING INDEX visibility_by_start_time");
    assertPlan("v.close_time BETWEEN ? AND ?", List.of(1L, 2L), "USING INDEX visibility_by_close_time");
    // Open-ended: walking the list order (close time, newest first) and stopping at the page is cheaper.
    assertPlan("v.close_time >= ?", List.of(1L), "USING INDEX visibility_by_");
    assertPlan(CUSTOM, List.of("ns", "Color", "red"), "USING COVERING INDEX visibility_search_attributes_by_text");
    assertPlan("", List.of(), "USING INDEX visibility_by_order");
  }

  @Test
  void aDeepPageSeeksToItsPositionInTheIndex() {
    Optional<List<Object>> after = Optional.of(List.of(5L, 5L, "run"));
    assertThat(String.join("\n", stores.visibility().explain(new VisibilityQuery("ns", "", List.of(), DEFAULT_ORDER, after), false, 100)))
        .contains("USING INDEX visibility_by_order (namespace_id=? AND close_order<?)");
    assertThat(String.join("\n", stores.visibility().explain(
        new VisibilityQuery("ns", "v.status = ?", List.of(2L), DEFAULT_ORDER, after), false, 100)))
        .contains("USING INDEX visibility_by_status (namespace_id=? AND status=? AND close_order<?)");
  }

  private void assertPlan(String condition, List<Object> parameters, String expectedIndex) throws Exception {
    List<Object> bound = new ArrayList<>();
    String sql = SqlVisibilityStore.listSql(new VisibilityQuery("ns", condition, parameters, DEFAULT_ORDER,
        Optional.of(List.of(5L, 5L, "run"))), 100, bound);
    StringBuilder plan = new StringBuilder();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database.file());
        PreparedStatement statement = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      for (int i = 0; i < bound.size(); i++) {
        statement.setObject(i + 1, bound.get(i));
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          plan.append(rows.getString(4)).append('\n');
        }
      }
    }
    assertThat(plan.toString()).as("plan of " + condition).contains(expectedIndex).doesNotContain("SCAN v");
  }

  private static List<Object> position(VisibilityRecord row) {
    return List.of(row.closed() ? row.closeTimeMillis() : Long.MAX_VALUE, row.startTimeMillis(), row.runId());
  }

  private void write(String runId, long startTime, long closeTime, List<SearchAttributeValue> values) {
    ExecutionKey key = new ExecutionKey("ns", "wf-" + runId, runId);
    int status = closeTime > 0 ? 2 : 1;
    ExecutionRecord execution = new ExecutionRecord(key, 0, 1, status, "type", "queue", startTime, closeTime, 2, new byte[] {1});
    VisibilityRecord visibility = new VisibilityRecord("ns", runId, key.workflowId(), "type", status, startTime, startTime, closeTime,
        "queue", 1, 10, "", "", "", key.workflowId(), runId, runId, new byte[0], new byte[0], values);
    stores.executions().write(new ExecutionWrite(rangeId, execution, 0, Optional.empty(), List.of(), List.of(), List.of(), List.of(),
        List.of(), Optional.empty(), List.of(visibility))).join();
  }
}
