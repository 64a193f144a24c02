package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.grpc.Status;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.StatusFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Listing and counting workflows with Temporal's filter language, paging, and custom search attributes, through the SDK. */
@Timeout(90)
class VisibilityIT {
  private static final String TASK_QUEUE = "visibility";
  private static final SearchAttributeKey<String> COLOR = SearchAttributeKey.forKeyword("CustomKeywordField");
  private static final SearchAttributeKey<Long> NUMBER = SearchAttributeKey.forLong("CustomIntField");
  private static final SearchAttributeKey<Boolean> FLAG = SearchAttributeKey.forBoolean("CustomBoolField");
  private static final SearchAttributeKey<String> TEXT = SearchAttributeKey.forText("CustomTextField");
  private static final SearchAttributeKey<OffsetDateTime> WHEN = SearchAttributeKey.forOffsetDateTime("CustomDatetimeField");
  private static final SearchAttributeKey<List<String>> TAGS = SearchAttributeKey.forKeywordList("Tags");

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface OrderWorkflow {
    @WorkflowMethod
    String run(String mode);

    @SignalMethod
    void finish();
  }

  public static class OrderWorkflowImpl implements OrderWorkflow {
    private boolean finished;

    @Override
    public String run(String mode) {
      switch (mode) {
        case "wait" -> Workflow.await(() -> finished);
        case "upsert" -> Workflow.upsertTypedSearchAttributes(COLOR.valueSet("upserted"), NUMBER.valueSet(99L));
        case "continue" -> Workflow.continueAsNew("done");
        case "bad-upsert" -> Workflow.upsertTypedSearchAttributes(SearchAttributeKey.forKeyword("Undefined").valueSet("x"));
        default -> { }
      }
      return mode;
    }

    @Override
    public void finish() {
      finished = true;
    }
  }

  @WorkflowInterface
  public interface OtherWorkflow {
    @WorkflowMethod
    String run(String mode);
  }

  public static class OtherWorkflowImpl implements OtherWorkflow {
    @Override
    public String run(String mode) {
      return mode;
    }
  }

  @BeforeEach
  void start() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class, OtherWorkflowImpl.class));
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  @Test
  void filtersOnSystemAndCustomAttributesOfEachType() {
    addSearchAttribute("Tags", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);
    OffsetDateTime newYear = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    run("order-1", "OrderWorkflow", "plain", SearchAttributes.newBuilder().set(COLOR, "red").set(NUMBER, 1L).set(FLAG, true)
        .set(WHEN, newYear).set(TAGS, List.of("a", "b")).build());
    run("order-2", "OrderWorkflow", "plain", SearchAttributes.newBuilder().set(COLOR, "blue").set(NUMBER, 2L)
        .set(TEXT, "Hello big World").set(WHEN, newYear.plusDays(10)).build());
    WorkflowStub waiting = start("order-3", "OrderWorkflow", "wait", SearchAttributes.newBuilder().set(COLOR, "red").set(NUMBER, 3L)
        .build());
    run("order-4", "OrderWorkflow", "upsert", SearchAttributes.EMPTY);
    run("other-1", "OtherWorkflow", "plain", SearchAttributes.EMPTY);

    assertThat(ids("WorkflowType = 'OrderWorkflow'")).containsExactlyInAnyOrder("order-1", "order-2", "order-3", "order-4");
    assertThat(ids("ExecutionStatus = 'Running'")).containsExactly("order-3");
    assertThat(ids("CloseTime IS NULL")).containsExactly("order-3");
    assertThat(ids("CustomKeywordField = 'red' AND ExecutionStatus = 'Completed'")).containsExactly("order-1");
    assertThat(ids("CustomKeywordField IN ('red', 'blue')")).containsExactlyInAnyOrder("order-1", "order-2", "order-3");
    assertThat(ids("CustomKeywordField NOT IN ('red')")).containsExactlyInAnyOrder("order-2", "order-4");
    assertThat(ids("CustomIntField BETWEEN 2 AND 3")).containsExactlyInAnyOrder("order-2", "order-3");
    assertThat(ids("CustomIntField >= 3")).containsExactlyInAnyOrder("order-3", "order-4");
    assertThat(ids("CustomKeywordField = 'upserted' AND CustomIntField = 99")).containsExactly("order-4");
    assertThat(ids("CustomBoolField = true")).containsExactly("order-1");
    assertThat(ids("CustomDatetimeField > '2024-01-05T00:00:00Z'")).containsExactly("order-2");
    assertThat(ids("CustomTextField = 'world hello'")).containsExactly("order-2");
    assertThat(ids("Tags = 'b'")).containsExactly("order-1");
    assertThat(ids("Tags IS NULL AND WorkflowType = 'OrderWorkflow'")).containsExactlyInAnyOrder("order-2", "order-3", "order-4");
    assertThat(ids("WorkflowId STARTS_WITH 'order-' AND CustomKeywordField != 'red'")).containsExactlyInAnyOrder("order-2", "order-4");
    assertThat(ids("NOT (WorkflowType = 'OrderWorkflow') OR (CustomBoolField = true)")).containsExactlyInAnyOrder("other-1", "order-1");
    assertThat(ids("StartTime > '2020-01-01T00:00:00Z' AND ExecutionDuration < '1h' AND HistoryLength > 3"))
        .containsExactlyInAnyOrder("order-1", "order-2", "order-4", "other-1");
    assertThat(ids("WorkflowType = 'OrderWorkflow' ORDER BY WorkflowId DESC")).containsExactly("order-4", "order-3", "order-2", "order-1");
    // Default order: open runs first, then the most recently closed.
    assertThat(ids("")).containsExactly("order-3", "other-1", "order-4", "order-2", "order-1");

    WorkflowExecutionMetadata listed = sdk.client().listExecutions("WorkflowId = 'order-1'").findFirst().orElseThrow();
    assertThat(listed.getTypedSearchAttributes().get(COLOR)).isEqualTo("red");
    assertThat(listed.getTypedSearchAttributes().get(TAGS)).containsExactly("a", "b");
    assertThat(listed.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    assertThat(listed.getWorkflowType()).isEqualTo("OrderWorkflow");

    assertThat(sdk.client().countWorkflows("ExecutionStatus = 'Completed'").getCount()).isEqualTo(4);
    var grouped = sdk.client().countWorkflows("GROUP BY ExecutionStatus");
    assertThat(grouped.getCount()).isEqualTo(5);
    Map<Object, Long> byStatus = new java.util.HashMap<>();
    grouped.getGroups().forEach(group -> byStatus.put(group.getGroupValues().get(0).get(0), group.getCount()));
    assertThat(byStatus).containsEntry("Running", 1L).containsEntry("Completed", 4L).hasSize(2);

    waiting.signal("finish");
    waiting.getResult(String.class);
    assertThat(ids("ExecutionStatus = 'Running'")).isEmpty();
    assertThat(sdkLogs.events()).as("what the SDK logged at WARN or ERROR").isEmpty();
  }

  @Test
  void upsertOfAnUndefinedAttributeFailsTheWorkflowTaskAsTemporalDoes() {
    WorkflowStub stub = start("bad-upsert-1", "OrderWorkflow", "bad-upsert", SearchAttributes.EMPTY);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
        sdk.client().fetchHistory("bad-upsert-1").getHistory().getEventsList().stream()
            .anyMatch(event -> event.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED));
    var failed = sdk.client().fetchHistory("bad-upsert-1").getHistory().getEventsList().stream()
        .filter(event -> event.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
        .findFirst().orElseThrow().getWorkflowTaskFailedEventAttributes();
    assertThat(failed.getCause()).isEqualTo(io.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES);
    assertThat(failed.getFailure().getMessage()).contains("search attribute Undefined is not defined");
    assertThat(ids("WorkflowId = 'bad-upsert-1' AND ExecutionStatus = 'Running'")).containsExactly("bad-upsert-1");
    stub.terminate("test over");
  }

  @Test
  void pagesFollowTheOrderWithoutGapsOrRepeats() {
    List<String> started = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      run("page-" + i, "OtherWorkflow", "plain", SearchAttributes.EMPTY);
      started.add("page-" + i);
    }
    List<String> listed = new ArrayList<>();
    com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
    int pages = 0;
    do {
      ListWorkflowExecutionsResponse page = sdk.service().blockingStub().listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
          .setNamespace(SdkEnvironment.NAMESPACE).setQuery("WorkflowId STARTS_WITH 'page-' ORDER BY StartTime ASC").setPageSize(3)
          .setNextPageToken(token).build());
      page.getExecutionsList().forEach(info -> listed.add(info.getExecution().getWorkflowId()));
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());
    assertThat(listed).containsExactlyElementsOf(started);
    assertThat(pages).isEqualTo(3);

    // The SDK's own paging (its default page size) reaches the same runs.
    assertThat(ids("WorkflowId STARTS_WITH 'page-'")).hasSize(7);
    assertThatThrownBy(() -> sdk.service().blockingStub().listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setQuery("WorkflowType = 'OtherWorkflow'").setPageSize(3)
        .setNextPageToken(firstPageToken()).build()))
        .satisfies(error -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("another query");
  }

  @Test
  void customAttributesOrderTheListWithRunsLackingThemLastAndPageWithoutGapsOrRepeats() {
    SearchAttributeKey<Double> amount = SearchAttributeKey.forDouble("CustomDoubleField");
    Long[] numbers = {5L, 3L, 5L, null, 1L, 5L, null};
    String[] colors = {"b", "a", "c", "b", null, "a", null};
    Double[] amounts = {2.5, -1.0, 10.0, null, null, null, null};
    Boolean[] flags = {true, false, null, true, false, null, true};
    for (int i = 0; i < numbers.length; i++) {
      SearchAttributes.Builder attributes = SearchAttributes.newBuilder();
      if (numbers[i] != null) {
        attributes.set(NUMBER, numbers[i]);
        attributes.set(WHEN, OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC).plusMinutes(numbers[i] * 10 + i));
      }
      if (colors[i] != null) {
        attributes.set(COLOR, colors[i]);
      }
      if (amounts[i] != null) {
        attributes.set(amount, amounts[i]);
      }
      if (flags[i] != null) {
        attributes.set(FLAG, flags[i]);
      }
      run("sort-" + (i + 1), "OtherWorkflow", "plain", attributes.build());
    }
    String sorted = "WorkflowId STARTS_WITH 'sort-' ORDER BY ";

    // Ties broken by a second term; runs without the attribute last in both directions.
    assertThat(pagedIds(sorted + "CustomIntField ASC, WorkflowId", 2))
        .containsExactly("sort-5", "sort-2", "sort-1", "sort-3", "sort-6", "sort-4", "sort-7");
    assertThat(pagedIds(sorted + "CustomIntField DESC, WorkflowId", 2))
        .containsExactly("sort-1", "sort-3", "sort-6", "sort-2", "sort-5", "sort-4", "sort-7");
    assertThat(pagedIds(sorted + "CustomKeywordField DESC, WorkflowId DESC", 3))
        .containsExactly("sort-3", "sort-4", "sort-1", "sort-6", "sort-2", "sort-7", "sort-5");
    assertThat(pagedIds(sorted + "CustomBoolField, CustomIntField DESC, WorkflowId", 1))
        .containsExactly("sort-2", "sort-5", "sort-1", "sort-4", "sort-7", "sort-3", "sort-6");
    List<String> byTime = pagedIds(sorted + "CustomDatetimeField DESC", 2);
    assertThat(byTime.subList(0, 5)).containsExactly("sort-6", "sort-3", "sort-1", "sort-2", "sort-5");
    assertThat(byTime.subList(5, 7)).containsExactlyInAnyOrder("sort-4", "sort-7");

    // Ties and missing values broken by the run id alone: every page size lists the same runs in the same order.
    for (String order : List.of("CustomIntField", "CustomIntField DESC", "CustomDoubleField", "CustomBoolField DESC",
        "CustomKeywordField, ExecutionStatus")) {
      List<String> whole = pagedIds(sorted + order, 1000);
      assertThat(whole).hasSize(7).doesNotHaveDuplicates();
      assertThat(pagedIds(sorted + order, 1)).as(order).isEqualTo(whole);
      assertThat(pagedIds(sorted + order, 2)).as(order).isEqualTo(whole);
    }
    List<String> byAmount = pagedIds(sorted + "CustomDoubleField", 2);
    assertThat(byAmount.subList(0, 3)).containsExactly("sort-2", "sort-1", "sort-3");
    assertThat(pagedIds(sorted + "CustomDoubleField DESC", 2).subList(0, 3)).containsExactly("sort-3", "sort-1", "sort-2");
    List<String> byNumber = pagedIds(sorted + "CustomIntField", 2);
    assertThat(byNumber.subList(0, 2)).containsExactly("sort-5", "sort-2");
    assertThat(byNumber.subList(2, 5)).containsExactlyInAnyOrder("sort-1", "sort-3", "sort-6");
    assertThat(byNumber.subList(5, 7)).containsExactlyInAnyOrder("sort-4", "sort-7");
  }

  /** The workflow ids of every page of {@code query}, {@code pageSize} runs a page. */
  private List<String> pagedIds(String query, int pageSize) {
    List<String> listed = new ArrayList<>();
    com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
    do {
      ListWorkflowExecutionsResponse page = sdk.service().blockingStub().listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
          .setNamespace(SdkEnvironment.NAMESPACE).setQuery(query).setPageSize(pageSize).setNextPageToken(token).build());
      assertThat(page.getExecutionsCount()).isLessThanOrEqualTo(pageSize);
      page.getExecutionsList().forEach(info -> listed.add(info.getExecution().getWorkflowId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return listed;
  }

  private com.google.protobuf.ByteString firstPageToken() {
    return sdk.service().blockingStub().listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setQuery("WorkflowId STARTS_WITH 'page-'").setPageSize(3).build()).getNextPageToken();
  }

  @Test
  void openAndClosedListsAndContinueAsNewRuns() {
    WorkflowStub waiting = start("open-1", "OrderWorkflow", "wait", SearchAttributes.EMPTY);
    run("chain-1", "OrderWorkflow", "continue", SearchAttributes.EMPTY);

    var open = sdk.service().blockingStub().listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setTypeFilter(WorkflowTypeFilter.newBuilder().setName("OrderWorkflow")).build());
    assertThat(open.getExecutionsList()).extracting(info -> info.getExecution().getWorkflowId()).containsExactly("open-1");

    var closed = sdk.service().blockingStub().listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE)
        .setStatusFilter(StatusFilter.newBuilder().setStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW))
        .build());
    assertThat(closed.getExecutionsList()).extracting(info -> info.getExecution().getWorkflowId()).containsExactly("chain-1");

    List<WorkflowExecutionMetadata> chain = sdk.client().listExecutions("WorkflowId = 'chain-1'").toList();
    assertThat(chain).extracting(WorkflowExecutionMetadata::getStatus).containsExactly(
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
    assertThat(chain.get(0).getExecution().getRunId()).isNotEqualTo(chain.get(1).getExecution().getRunId());

    // What was listed before a restart is listed after it: rows are committed with the runs.
    server.restart();
    assertThat(ids("WorkflowId IN ('open-1', 'chain-1')")).containsExactlyInAnyOrder("open-1", "chain-1", "chain-1");
    waiting.signal("finish");
    waiting.getResult(String.class);
  }

  @Test
  void schedulesOwnWorkflowsAreHiddenAndTheRunsTheyStartAreFoundByScheduleId() {
    ScheduleClient schedules = ScheduleClient.newInstance(sdk.service());
    ScheduleHandle handle = schedules.createSchedule("nightly", Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(OtherWorkflow.class)
            .setArguments("scheduled")
            .setOptions(WorkflowOptions.newBuilder().setWorkflowId("nightly-run").setTaskQueue(TASK_QUEUE).build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 0 1 1 *")).build())
        .build(), ScheduleOptions.newBuilder().build());
    handle.trigger();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> ids("TemporalScheduledById = 'nightly' AND ExecutionStatus = 'Completed'").size() == 1);

    assertThat(ids("")).allMatch(id -> !id.startsWith("temporal-sys-scheduler:")).anyMatch(id -> id.startsWith("nightly-run"));
    assertThat(ids("TemporalNamespaceDivision = 'TemporalScheduler'")).containsExactly("temporal-sys-scheduler:nightly");
    assertThat(sdk.client().countWorkflows("").getCount()).isEqualTo(1);
    handle.delete();
  }

  @Test
  void closedRunsAreDeletedAfterTheNamespacesRetentionAndOpenOnesStay() {
    sdk.service().blockingStub().updateNamespace(io.temporal.api.workflowservice.v1.UpdateNamespaceRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE)
        .setConfig(io.temporal.api.namespace.v1.NamespaceConfig.newBuilder()
            .setWorkflowExecutionRetentionTtl(com.google.protobuf.util.Durations.fromSeconds(2)))
        .build());
    server.restart(); // the sweeper picks its pace from the shortest retention when it starts
    WorkflowStub open = start("kept-open", "OrderWorkflow", "wait", SearchAttributes.EMPTY);
    run("short-lived", "OrderWorkflow", "plain", SearchAttributes.newBuilder().set(COLOR, "gone").build());
    assertThat(ids("WorkflowId = 'short-lived'")).containsExactly("short-lived");

    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> ids("WorkflowId = 'short-lived'").isEmpty());
    assertThat(ids("CustomKeywordField = 'gone'")).isEmpty();
    assertThatThrownBy(() -> sdk.client().fetchHistory("short-lived"))
        .satisfies(error -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThat(ids("WorkflowId = 'kept-open'")).containsExactly("kept-open");
    // The id is free again, as after Temporal deleted the run.
    run("short-lived", "OrderWorkflow", "plain", SearchAttributes.EMPTY);
    open.signal("finish");
    open.getResult(String.class);
  }

  @Test
  void deleteWorkflowExecutionTerminatesARunningRunAndRemovesItWithItsListEntry() {
    WorkflowStub running = start("to-delete", "OrderWorkflow", "wait", SearchAttributes.EMPTY);
    String runId = running.getExecution().getRunId();
    run("done-to-delete", "OrderWorkflow", "plain", SearchAttributes.EMPTY);
    for (String workflowId : List.of("to-delete", "done-to-delete")) {
      sdk.service().blockingStub().deleteWorkflowExecution(io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest.newBuilder()
          .setNamespace(SdkEnvironment.NAMESPACE)
          .setWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(workflowId))
          .build());
    }
    assertThat(ids("WorkflowId IN ('to-delete', 'done-to-delete')")).isEmpty();
    assertThatThrownBy(() -> sdk.client().fetchHistory("to-delete", runId))
        .satisfies(error -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void malformedQueriesAndUnknownAttributesAreInvalidArguments() {
    assertInvalid("WorkflowId = ", "position 14");
    assertInvalid("WorkflowId = 'a' AND", "position 21");
    assertInvalid("(WorkflowId = 'a'", "expected ')'");
    assertInvalid("WorkflowId == 'a'", "position");
    assertInvalid("Nope = 'a'", "unknown search attribute Nope");
    assertInvalid("ExecutionStatus = 'Sleeping'", "unknown ExecutionStatus");
    assertInvalid("StartTime > 'yesterday'", "RFC 3339");
    assertInvalid("CustomTextField > 'a'", "not supported");
    assertInvalid("WorkflowId = 'a' ORDER BY ExecutionDuration", "ORDER BY ExecutionDuration is not supported");
    assertInvalid("ORDER BY CustomTextField", "unable to sort by field of Text type, use field of type Keyword");
    assertInvalid("ORDER BY TemporalChangeVersion DESC", "unable to sort by field of KeywordList type");
    assertInvalid("ORDER BY Nope", "unknown search attribute Nope");

    WorkflowOptions options = WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("bad-sa")
        .setTypedSearchAttributes(SearchAttributes.newBuilder().set(SearchAttributeKey.forKeyword("Nope"), "x").build()).build();
    OtherWorkflow workflow = sdk.client().newWorkflowStub(OtherWorkflow.class, options);
    assertThatThrownBy(() -> WorkflowClient.start(workflow::run, "plain"))
        .isInstanceOf(WorkflowServiceException.class)
        .rootCause()
        .satisfies(error -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("search attribute Nope is not defined");
  }

  @Test
  void customSearchAttributesAreAddedListedAndRemovedPerNamespace() {
    OperatorServiceGrpc.OperatorServiceBlockingStub operator = OperatorServiceGrpc.newBlockingStub(sdk.service().getRawChannel());
    addSearchAttribute("Region", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    addSearchAttribute("Region", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    ListSearchAttributesResponse listed = operator.listSearchAttributes(ListSearchAttributesRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).build());
    assertThat(listed.getCustomAttributesMap())
        .containsEntry("Region", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
        .containsEntry("CustomKeywordField", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    assertThat(listed.getSystemAttributesMap()).containsEntry("WorkflowId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
        .containsEntry("StartTime", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);

    run("region-1", "OtherWorkflow", "plain",
        SearchAttributes.newBuilder().set(SearchAttributeKey.forKeyword("Region"), "eu").build());
    assertThat(ids("Region = 'eu'")).containsExactly("region-1");

    server.restart();
    assertThat(ids("Region = 'eu'")).containsExactly("region-1");
    operator.removeSearchAttributes(RemoveSearchAttributesRequest.newBuilder().setNamespace(SdkEnvironment.NAMESPACE)
        .addSearchAttributes("Region").build());
    assertThat(operator.listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(SdkEnvironment.NAMESPACE).build())
        .getCustomAttributesMap()).doesNotContainKey("Region");
    assertThatThrownBy(() -> operator.removeSearchAttributes(RemoveSearchAttributesRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).addSearchAttributes("Region").build()))
        .satisfies(error -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(() -> addSearchAttributeCall(operator, "Region2", IndexedValueType.INDEXED_VALUE_TYPE_INT)
        .addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(SdkEnvironment.NAMESPACE)
            .putSearchAttributes("CustomKeywordField", IndexedValueType.INDEXED_VALUE_TYPE_INT).build()))
        .satisfies(error -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
  }

  private static OperatorServiceGrpc.OperatorServiceBlockingStub addSearchAttributeCall(OperatorServiceGrpc.OperatorServiceBlockingStub operator,
      String name, IndexedValueType type) {
    operator.addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(SdkEnvironment.NAMESPACE)
        .putSearchAttributes(name, type).build());
    return operator;
  }

  private void addSearchAttribute(String name, IndexedValueType type) {
    addSearchAttributeCall(OperatorServiceGrpc.newBlockingStub(sdk.service().getRawChannel()), name, type);
  }

  private void assertInvalid(String query, String messagePart) {
    assertThatThrownBy(() -> sdk.client().listExecutions(query).toList())
        .satisfies(error -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining(messagePart);
    assertThatThrownBy(() -> sdk.client().countWorkflows(query))
        .satisfies(error -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  private List<String> ids(String query) {
    return sdk.client().listExecutions(query).map(metadata -> metadata.getExecution().getWorkflowId()).toList();
  }

  private WorkflowStub start(String workflowId, String type, String mode, SearchAttributes attributes) {
    WorkflowOptions options = WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId)
        .setTypedSearchAttributes(attributes).build();
    WorkflowStub stub = sdk.client().newUntypedWorkflowStub(type, options);
    stub.start(mode);
    return stub;
  }

  private void run(String workflowId, String type, String mode, SearchAttributes attributes) {
    start(workflowId, type, mode, attributes).getResult(String.class);
  }


  @Test
  void aTypeTheClientStampedIsKeptAsTemporalKeepsIt() {
    // CustomStringField is registered as Text (as on Temporal's dev server); a client may send it as Keyword.
    SearchAttributeKey<String> asKeyword = SearchAttributeKey.forKeyword("CustomStringField");
    OtherWorkflow workflow = sdk.client().newWorkflowStub(OtherWorkflow.class, io.temporal.client.WorkflowOptions.newBuilder()
        .setTaskQueue(TASK_QUEUE).setWorkflowId("stamped")
        .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder().set(asKeyword, "kept").build()).build());
    workflow.run("now");
    assertThat(sdk.client().newUntypedWorkflowStub("stamped").describe().getTypedSearchAttributes().get(asKeyword)).isEqualTo("kept");
  }
}
