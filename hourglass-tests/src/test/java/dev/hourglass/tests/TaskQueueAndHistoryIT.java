package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseResponse;
import io.temporal.api.workflowservice.v1.ResetStickyTaskQueueRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** DescribeTaskQueue, ResetStickyTaskQueue and GetWorkflowExecutionHistoryReverse as the CLI and SDK call them. */
@Timeout(60)
class TaskQueueAndHistoryIT {
  private static final String TASK_QUEUE = "described";

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface StepsWorkflow {
    @WorkflowMethod
    int run(int steps);

    @SignalMethod
    void proceed();
  }

  @ActivityInterface
  public interface StepActivity {
    int step(int step);
  }

  public static class StepsWorkflowImpl implements StepsWorkflow {
    private int proceeds;

    @Override
    public int run(int steps) {
      StepActivity activity = Workflow.newActivityStub(StepActivity.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());
      int total = 0;
      for (int step = 1; step <= steps; step++) {
        int awaited = step;
        Workflow.await(() -> proceeds >= awaited);
        total += activity.step(step);
      }
      return total;
    }

    @Override
    public void proceed() {
      proceeds++;
    }
  }

  @BeforeEach
  void start() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(StepsWorkflowImpl.class);
      worker.registerActivitiesImplementations((StepActivity) step -> step * 10);
    });
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  private DescribeTaskQueueResponse describe(String taskQueue, TaskQueueType type) {
    return sdk.service().blockingStub().describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE)
        .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
        .setTaskQueueType(type)
        .setIncludeTaskQueueStatus(true)
        .setReportStats(true)
        .build());
  }

  @Test
  void describeTaskQueueShowsTheWorkersPollersAndTheBacklog() {
    String identity = sdk.client().getOptions().getIdentity();
    long before = System.currentTimeMillis();
    for (TaskQueueType type : List.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)) {
      List<PollerInfo> pollers = await().atMost(Duration.ofSeconds(10))
          .until(() -> describe(TASK_QUEUE, type).getPollersList(), list -> !list.isEmpty());
      assertThat(pollers).extracting(PollerInfo::getIdentity).containsExactly(identity);
      assertThat(Timestamps.toMillis(pollers.get(0).getLastAccessTime())).isBetween(before - 60_000, System.currentTimeMillis());
    }
    assertThat(describe("nobody-polls", TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW).getPollersList()).isEmpty();

    sdk.client().newUntypedWorkflowStub("StepsWorkflow",
        WorkflowOptions.newBuilder().setTaskQueue("nobody-polls").setWorkflowId("waiting-for-a-worker").build()).start(1);
    DescribeTaskQueueResponse backlog = describe("nobody-polls", TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW);
    assertThat(backlog.getTaskQueueStatus().getBacklogCountHint()).isEqualTo(1);
    assertThat(backlog.getStats().getApproximateBacklogCount()).isEqualTo(1);
  }

  @Test
  void reverseHistoryPagesNewestFirst() throws Exception {
    StepsWorkflow workflow = sdk.client().newWorkflowStub(StepsWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("reverse-1").build());
    WorkflowExecution execution = WorkflowClient.start(workflow::run, 2);
    workflow.proceed();
    workflow.proceed();
    assertThat(WorkflowStub.fromTyped(workflow).getResult(10, TimeUnit.SECONDS, Integer.class)).isEqualTo(30);

    List<HistoryEvent> reversed = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    int pages = 0;
    do {
      GetWorkflowExecutionHistoryReverseResponse page = sdk.service().blockingStub().getWorkflowExecutionHistoryReverse(
          GetWorkflowExecutionHistoryReverseRequest.newBuilder().setNamespace(SdkEnvironment.NAMESPACE).setExecution(execution)
              .setMaximumPageSize(4).setNextPageToken(token).build());
      assertThat(page.getHistory().getEventsCount()).isBetween(1, 4);
      reversed.addAll(page.getHistory().getEventsList());
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());

    List<HistoryEvent> forward = new ArrayList<>(new HistoryProbe(sdk.client()).events("reverse-1"));
    java.util.Collections.reverse(forward);
    assertThat(reversed).isEqualTo(forward);
    assertThat(reversed.get(0).getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    assertThat(pages).isEqualTo((forward.size() + 3) / 4);
  }

  @Test
  void resetStickyTaskQueueSendsTheNextWorkflowTaskToTheNormalQueue() throws Exception {
    StepsWorkflow workflow = sdk.client().newWorkflowStub(StepsWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("sticky-reset-1").build());
    WorkflowExecution execution = WorkflowClient.start(workflow::run, 2);
    workflow.proceed();
    HistoryProbe history = new HistoryProbe(sdk.client());
    history.awaitEvent("sticky-reset-1", EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, Duration.ofSeconds(10));
    assertThat(lastScheduledKind(history.events("sticky-reset-1"))).isEqualTo(TaskQueueKind.TASK_QUEUE_KIND_STICKY);

    sdk.service().blockingStub().resetStickyTaskQueue(ResetStickyTaskQueueRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setExecution(execution).build());
    workflow.proceed();
    assertThat(WorkflowStub.fromTyped(workflow).getResult(10, TimeUnit.SECONDS, Integer.class)).isEqualTo(30);
    List<HistoryEvent> events = history.events("sticky-reset-1");
    HistoryEvent afterReset = events.stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).skip(1).findFirst().orElseThrow();
    HistoryEvent scheduled = events.get((int) afterReset.getEventId());
    assertThat(scheduled.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    assertThat(scheduled.getWorkflowTaskScheduledEventAttributes().getTaskQueue().getKind()).isEqualTo(TaskQueueKind.TASK_QUEUE_KIND_NORMAL);

    assertThatThrownBy(() -> sdk.service().blockingStub().resetStickyTaskQueue(ResetStickyTaskQueueRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE).setExecution(execution).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThat(sdkLogs.events()).isEmpty();
  }

  private static TaskQueueKind lastScheduledKind(List<HistoryEvent> events) {
    return events.stream().filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)
        .reduce((first, second) -> second).orElseThrow().getWorkflowTaskScheduledEventAttributes().getTaskQueue().getKind();
  }
}
