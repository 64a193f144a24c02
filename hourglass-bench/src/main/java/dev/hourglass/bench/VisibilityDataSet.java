package dev.hourglass.bench;

import com.google.protobuf.ByteString;
import dev.hourglass.store.SearchAttributeValue;
import dev.hourglass.store.VisibilityRecord;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The runs the visibility benchmark lists: {@code closedRuns} closed runs and {@code openRuns} open
 * ones, each a pure function of its index, so the filling process and the measuring process agree
 * on what every query matches without sharing anything but the two counts.
 *
 * <ul>
 *   <li>workflow id {@code wf-0000042}, 20 workflow types {@code type-N}, 10 task queues;
 *   <li>closed statuses: 70 % Completed, 14 % Failed, 5 % Canceled, 5 % Terminated, 3 % TimedOut,
 *       3 % ContinuedAsNew;
 *   <li>start times spread evenly over the 30 days from {@link #EPOCH}, each run lasting 1 to 600 s;
 *   <li>{@code CustomKeywordField = 'customer-N'} with 5,000 distinct values, {@code CustomIntField} 0–999.
 * </ul>
 */
record VisibilityDataSet(int closedRuns, int openRuns) {
  /** The namespace the runs are written to; its retention is longer than the data's age. */
  static final String NAMESPACE = "bench-visibility";
  static final Duration RETENTION = Duration.ofDays(3650);
  static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration SPAN = Duration.ofDays(30);
  static final int TYPES = 20;
  static final int CUSTOMERS = 5_000;

  VisibilityDataSet {
    if (closedRuns < 1 || openRuns < 0) {
      throw new IllegalArgumentException("need at least one closed run and no negative open runs");
    }
  }

  int total() {
    return closedRuns + openRuns;
  }

  /** Run {@code index}: closed for indexes below {@code closedRuns}, open after. */
  VisibilityRecord run(String namespaceId, int index) {
    String workflowId = workflowId(index);
    String runId = UUID.nameUUIDFromBytes(workflowId.getBytes(StandardCharsets.UTF_8)).toString();
    long start = startMillis(index);
    boolean closed = index < closedRuns;
    long close = closed ? start + 1_000L * (1 + index % 600) : 0;
    String customer = "customer-" + index % CUSTOMERS;
    long number = index % 1_000;
    SearchAttributes attributes = SearchAttributes.newBuilder()
        .putIndexedFields("CustomKeywordField", payload("Keyword", "\"" + customer + "\""))
        .putIndexedFields("CustomIntField", payload("Int", Long.toString(number)))
        .build();
    return new VisibilityRecord(namespaceId, runId, workflowId, type(index), closed ? closedStatus(index) : 1, start, start, close,
        "queue-" + index % 10, closed ? 11 : 3, closed ? 2_048 : 512, "", "", "", workflowId, runId, runId, new byte[0],
        attributes.toByteArray(),
        List.of(SearchAttributeValue.ofText("CustomKeywordField", 0, customer), SearchAttributeValue.ofInt("CustomIntField", 0, number)));
  }

  static String workflowId(int index) {
    return String.format("wf-%07d", index);
  }

  static String type(int index) {
    return "type-" + index % TYPES;
  }

  /** Starts are spread evenly over {@link #SPAN}, in index order. */
  long startMillis(int index) {
    return EPOCH.toEpochMilli() + (long) ((double) index / total() * (SPAN.toMillis() - Duration.ofHours(1).toMillis()));
  }

  /** Temporal's WorkflowExecutionStatus numbers. */
  private static int closedStatus(int index) {
    int percent = index % 100;
    if (percent < 70) {
      return 2; // Completed
    } else if (percent < 84) {
      return 3; // Failed
    } else if (percent < 89) {
      return 4; // Canceled
    } else if (percent < 94) {
      return 5; // Terminated
    } else if (percent < 97) {
      return 7; // TimedOut
    }
    return 6; // ContinuedAsNew
  }

  /** Encoded as the SDKs encode search attribute values: JSON, with the type in the metadata. */
  private static Payload payload(String type, String json) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .putMetadata("type", ByteString.copyFromUtf8(type))
        .setData(ByteString.copyFromUtf8(json))
        .build();
  }

  /**
   * The queries measured: the filters the issue calls common (type, status, time range, custom
   * keyword, workflow id and its prefix, ORDER BY), first pages and a deep page, and counts.
   */
  List<VisibilityCase> cases(int deepPage) {
    String someId = workflowId((int) (closedRuns * 0.777));
    String prefix = someId.substring(0, someId.length() - 2);
    Instant middle = Instant.ofEpochMilli(startMillis(closedRuns / 2));
    String hourFrom = middle.toString();
    String hourTo = middle.plus(Duration.ofHours(1)).toString();
    String lastDay = Instant.ofEpochMilli(startMillis(closedRuns - 1)).minus(Duration.ofDays(1)).toString();
    return List.of(
        VisibilityCase.list("all, page 1", ""),
        VisibilityCase.deepList("all, page " + deepPage, "", deepPage),
        VisibilityCase.list("type", "WorkflowType = 'type-7'"),
        VisibilityCase.list("status Failed", "ExecutionStatus = 'Failed'"),
        VisibilityCase.deepList("status Failed, page " + deepPage, "ExecutionStatus = 'Failed'", deepPage),
        VisibilityCase.list("status Running", "ExecutionStatus = 'Running'"),
        VisibilityCase.list("type and status", "WorkflowType = 'type-7' AND ExecutionStatus = 'Completed'"),
        VisibilityCase.list("start time, 1 h", "StartTime BETWEEN '" + hourFrom + "' AND '" + hourTo + "'"),
        VisibilityCase.list("closed in last day", "CloseTime > '" + lastDay + "'"),
        VisibilityCase.list("custom keyword", "CustomKeywordField = 'customer-42'"),
        VisibilityCase.list("workflow id", "WorkflowId = '" + someId + "'"),
        VisibilityCase.list("workflow id prefix", "WorkflowId STARTS_WITH '" + prefix + "'"),
        VisibilityCase.list("ORDER BY StartTime", "ORDER BY StartTime ASC"),
        VisibilityCase.list("type ORDER BY StartTime", "WorkflowType = 'type-3' ORDER BY StartTime DESC"),
        VisibilityCase.list("custom keyword and status", "CustomKeywordField = 'customer-42' AND ExecutionStatus = 'Completed'"),
        VisibilityCase.count("count all", ""),
        VisibilityCase.count("count status Failed", "ExecutionStatus = 'Failed'"),
        VisibilityCase.count("count type", "WorkflowType = 'type-7'"),
        VisibilityCase.count("count custom keyword", "CustomKeywordField = 'customer-42'"),
        VisibilityCase.count("count start time, 1 h", "StartTime BETWEEN '" + hourFrom + "' AND '" + hourTo + "'"),
        VisibilityCase.count("count GROUP BY status", "GROUP BY ExecutionStatus"));
  }
}
