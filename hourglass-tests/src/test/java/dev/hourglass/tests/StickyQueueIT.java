package dev.hourglass.tests;

import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_FIRED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sticky execution: after its first workflow task a workflow's tasks go to the worker's sticky queue;
 * when that worker goes away they fall back to the normal queue and a fresh worker replays the history.
 */
@Timeout(60)
class StickyQueueIT {
  private static final String TASK_QUEUE = "sticky";
  private static final long RESULT_TIMEOUT_SECONDS = 20;

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface ChecklistWorkflow {
    /** Runs steps 1..steps in order, with a timer of {@code pauseMillis} before step {@code pauseBeforeStep}. */
    @WorkflowMethod
    String run(int steps, int pauseBeforeStep, long pauseMillis);
  }

  @ActivityInterface
  public interface ChecklistActivities {
    String check(int step);
  }

  /** One instance per worker, so a test can tell which worker ran which step. */
  public static class ChecklistActivitiesImpl implements ChecklistActivities {
    final ConcurrentLinkedQueue<Integer> checkedSteps = new ConcurrentLinkedQueue<>();

    @Override
    public String check(int step) {
      checkedSteps.add(step);
      return "step" + step;
    }
  }

  public static class ChecklistWorkflowImpl implements ChecklistWorkflow {
    @Override
    public String run(int steps, int pauseBeforeStep, long pauseMillis) {
      ChecklistActivities activities = Workflow.newActivityStub(
          ChecklistActivities.class, ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());
      List<String> results = new ArrayList<>();
      for (int step = 1; step <= steps; step++) {
        if (step == pauseBeforeStep) {
          Workflow.sleep(Duration.ofMillis(pauseMillis));
        }
        results.add(activities.check(step));
      }
      return String.join(",", results);
    }
  }

  @WorkflowInterface
  public interface CountingWorkflow {
    @WorkflowMethod
    void run();

    @io.temporal.workflow.QueryMethod
    int status();
  }

  /** Counts how often its workflow code runs (replays included) in this JVM. */
  public static class CountingWorkflowImpl implements CountingWorkflow {
    static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void run() {
      RUNS.incrementAndGet();
      Workflow.sleep(Duration.ofHours(1));
    }

    @Override
    public int status() {
      return 1;
    }
  }

  @BeforeEach
  void startServer() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
  }

  @AfterEach
  void stopServer() {
    if (sdk != null) {
      sdk.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private WorkerFactory startWorker(ChecklistActivitiesImpl activities) {
    return sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(ChecklistWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities);
    });
  }

  private ChecklistWorkflow newWorkflow(String workflowId) {
    return sdk.client().newWorkflowStub(
        ChecklistWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
  }

  private static TaskQueueKind scheduledOn(HistoryEvent workflowTaskScheduled) {
    return workflowTaskScheduled.getWorkflowTaskScheduledEventAttributes().getTaskQueue().getKind();
  }

  @Test
  void workflowTasksAfterTheFirstGoToTheStickyQueue() throws Exception {
    ChecklistActivitiesImpl activities = new ChecklistActivitiesImpl();
    startWorker(activities);
    ChecklistWorkflow workflow = newWorkflow("sticky-checklist");

    String result = WorkflowClient.execute(workflow::run, 4, 0, 0L).get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    assertThat(result).isEqualTo("step1,step2,step3,step4");
    assertThat(activities.checkedSteps).containsExactly(1, 2, 3, 4);
    List<HistoryEvent> scheduled = new HistoryProbe(sdk.client()).events("sticky-checklist").stream()
        .filter(event -> event.getEventType() == EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)
        .collect(Collectors.toList());
    assertThat(scheduled).hasSize(5);
    assertThat(scheduledOn(scheduled.get(0))).isEqualTo(TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    assertThat(scheduled.subList(1, scheduled.size())).extracting(StickyQueueIT::scheduledOn)
        .containsOnly(TaskQueueKind.TASK_QUEUE_KIND_STICKY);
  }

  @Test
  void freshWorkerFinishesAWorkflowWhoseStickyWorkerShutDown() throws Exception {
    ChecklistActivitiesImpl firstWorkerActivities = new ChecklistActivitiesImpl();
    WorkerFactory firstWorker = startWorker(firstWorkerActivities);
    ChecklistWorkflow workflow = newWorkflow("handover");
    WorkflowClient.start(workflow::run, 4, 2, 2_000L);
    HistoryProbe history = new HistoryProbe(sdk.client());
    // The first worker ran step 1 and holds the workflow in its cache while the timer runs.
    history.awaitEvent("handover", EVENT_TYPE_TIMER_STARTED, Duration.ofSeconds(10));

    SdkEnvironment.shutdown(firstWorker);
    ChecklistActivitiesImpl secondWorkerActivities = new ChecklistActivitiesImpl();
    startWorker(secondWorkerActivities);

    String result;
    try {
      result = WorkflowStub.fromTyped(workflow).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class);
    } catch (TimeoutException e) {
      throw new AssertionError("the fresh worker did not finish the workflow; " + history.render("handover"), e);
    }
    assertThat(result).isEqualTo("step1,step2,step3,step4");
    assertThat(firstWorkerActivities.checkedSteps).containsExactly(1);
    assertThat(secondWorkerActivities.checkedSteps).containsExactly(2, 3, 4);
    List<HistoryEvent> events = history.events("handover");
    Map<Long, HistoryEvent> byId = events.stream().collect(Collectors.toMap(HistoryEvent::getEventId, Function.identity()));
    long timerFiredEventId = events.stream().filter(event -> event.getEventType() == EVENT_TYPE_TIMER_FIRED)
        .findFirst().orElseThrow().getEventId();
    HistoryEvent lastScheduledBeforeReplay = events.stream()
        .filter(event -> event.getEventType() == EVENT_TYPE_WORKFLOW_TASK_COMPLETED && event.getEventId() > timerFiredEventId)
        .map(completed -> byId.get(completed.getWorkflowTaskCompletedEventAttributes().getScheduledEventId()))
        .findFirst().orElseThrow();
    assertThat(scheduledOn(lastScheduledBeforeReplay))
        .as(() -> "queue of the task the fresh worker completed first; " + history.render("handover"))
        .isEqualTo(TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    assertThat(HistoryProbe.count(events, EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT))
        .as(() -> "workflow tasks timed out; at most the one left on the departed worker's sticky queue; "
            + history.render("handover"))
        .isLessThanOrEqualTo(1);
  }

  @Test
  void sdkLogsNoWarningsOrErrorsForStickyExecution() throws Exception {
    startWorker(new ChecklistActivitiesImpl());
    ChecklistWorkflow workflow = newWorkflow("quiet-sticky");
    WorkflowClient.execute(workflow::run, 3, 0, 0L).get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    sdk.close();

    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void aQueryRightAfterTheStartIsAnsweredByTheCachedWorkerWithoutAReplay() throws Exception {
    sdk.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(CountingWorkflowImpl.class));
    CountingWorkflowImpl.RUNS.set(0);
    CountingWorkflow workflow = sdk.client().newWorkflowStub(
        CountingWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("counted").build());
    io.temporal.client.WorkflowClient.start(workflow::run);
    assertThat(workflow.status()).isEqualTo(1);
    assertThat(workflow.status()).isEqualTo(1);
    assertThat(CountingWorkflowImpl.RUNS.get()).as("workflow code runs").isEqualTo(1);
  }

  @Test
  void aWorkerShuttingDownHasItsOutstandingPollsAnsweredSoItStopsWithoutCancellingThem() throws Exception {
    var namespace = sdk.service().blockingStub().describeNamespace(
        io.temporal.api.workflowservice.v1.DescribeNamespaceRequest.newBuilder().setNamespace(SdkEnvironment.NAMESPACE).build());
    assertThat(namespace.getNamespaceInfo().getCapabilities().getWorkerPollCompleteOnShutdown())
        .as("worker_poll_complete_on_shutdown capability").isTrue();
    // A worker holding a workflow in its cache, its workflow, sticky and activity polls open.
    WorkerFactory worker = startWorker(new ChecklistActivitiesImpl());
    ChecklistWorkflow workflow = newWorkflow("graceful-stop");
    WorkflowClient.start(workflow::run, 2, 2, 3_600_000L);
    new HistoryProbe(sdk.client()).awaitEvent("graceful-stop", EVENT_TYPE_TIMER_STARTED, Duration.ofSeconds(10));

    // With the capability the SDK waits for its polls to return (it does not cancel them): a minute each
    // unless ShutdownWorker answers them.
    worker.shutdown();
    worker.awaitTermination(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    assertThat(worker.isTerminated()).as("worker terminated after a graceful shutdown").isTrue();
  }

  @Test
  void aPollFromAWorkerThatShutDownIsAnsweredEmptyAtOnce() throws Exception {
    var stub = sdk.service().blockingStub();
    String workerInstanceKey = java.util.UUID.randomUUID().toString();
    var shutdown = io.temporal.api.workflowservice.v1.ShutdownWorkerRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setIdentity("leaving").setWorkerInstanceKey(workerInstanceKey)
        .setTaskQueue(TASK_QUEUE).build();
    stub.shutdownWorker(shutdown);

    // A poll sent before the shutdown but arriving after it must not wait out its long poll (a minute).
    var poll = stub.withDeadlineAfter(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS).pollActivityTaskQueue(
        io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE)
            .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(TASK_QUEUE))
            .setIdentity("leaving").setWorkerInstanceKey(workerInstanceKey).build());

    assertThat(poll.getTaskToken().isEmpty()).as("empty poll response").isTrue();
  }

  @Test
  void aWaitingNexusPollIsAnsweredWhenItsWorkerShutsDown() throws Exception {
    String workerInstanceKey = java.util.UUID.randomUUID().toString();
    // A Nexus poll waiting on an empty queue (its long poll would last a minute) ...
    var poll = sdk.service().futureStub().withDeadlineAfter(55, TimeUnit.SECONDS).pollNexusTaskQueue(
        io.temporal.api.workflowservice.v1.PollNexusTaskQueueRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE)
            .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(TASK_QUEUE + "-nexus"))
            .setIdentity("leaving").setWorkerInstanceKey(workerInstanceKey).build());
    Thread.sleep(500);
    assertThat(poll.isDone()).as("the poll waits for a task").isFalse();

    // ... is answered empty when its worker announces its shutdown, as workflow and activity polls are.
    sdk.service().blockingStub().shutdownWorker(io.temporal.api.workflowservice.v1.ShutdownWorkerRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setIdentity("leaving").setWorkerInstanceKey(workerInstanceKey)
        .setTaskQueue(TASK_QUEUE).build());

    assertThat(poll.get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS).getTaskToken().isEmpty()).as("empty poll response").isTrue();
  }
}
