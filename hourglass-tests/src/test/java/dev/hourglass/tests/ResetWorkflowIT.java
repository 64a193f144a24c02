package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** ResetWorkflowExecution: a new run from a workflow task of the old one, signals reapplied, the old run terminated. */
@Timeout(60)
class ResetWorkflowIT {
  private static final String TASK_QUEUE = "reset";
  private static final Map<Integer, AtomicInteger> EXECUTIONS = new ConcurrentHashMap<>();

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface ResettableWorkflow {
    /** Step 1, a timer, two signals, step 2. */
    @WorkflowMethod
    String run(long sleepMillis);

    @SignalMethod
    void add(String value);
  }

  @ActivityInterface
  public interface StepActivity {
    String step(int step);
  }

  public static class ResettableWorkflowImpl implements ResettableWorkflow {
    private final List<String> values = new ArrayList<>();

    @Override
    public String run(long sleepMillis) {
      StepActivity activity = Workflow.newActivityStub(StepActivity.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());
      String first = activity.step(1);
      Workflow.sleep(Duration.ofMillis(sleepMillis));
      Workflow.await(() -> values.size() >= 2);
      return first + activity.step(2) + values;
    }

    @Override
    public void add(String value) {
      values.add(value);
    }
  }

  @WorkflowInterface
  public interface EchoWorkflow {
    @WorkflowMethod
    String echo(String value);
  }

  public static class EchoWorkflowImpl implements EchoWorkflow {
    @Override
    public String echo(String value) {
      return value;
    }
  }

  /** Runs a child to its end, then waits for a signal. */
  @WorkflowInterface
  public interface ParentWorkflow {
    @WorkflowMethod
    String run();

    @SignalMethod
    void add(String value);
  }

  public static class ParentWorkflowImpl implements ParentWorkflow {
    private final List<String> values = new ArrayList<>();

    @Override
    public String run() {
      String echoed = Workflow.newChildWorkflowStub(EchoWorkflow.class,
          io.temporal.workflow.ChildWorkflowOptions.newBuilder().setWorkflowId(Workflow.getInfo().getWorkflowId() + "-child").build())
          .echo("child");
      Workflow.await(() -> !values.isEmpty());
      return echoed + values;
    }

    @Override
    public void add(String value) {
      values.add(value);
    }
  }

  @BeforeEach
  void start() {
    EXECUTIONS.clear();
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(ResettableWorkflowImpl.class, ParentWorkflowImpl.class, EchoWorkflowImpl.class);
      worker.registerActivitiesImplementations((StepActivity) step -> {
        EXECUTIONS.computeIfAbsent(step, key -> new AtomicInteger()).incrementAndGet();
        return "step" + step;
      });
    });
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  private List<HistoryEvent> history(WorkflowExecution execution) {
    return sdk.service().blockingStub().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setExecution(execution).build()).getHistory().getEventsList();
  }

  private WorkflowExecutionStatus status(WorkflowExecution execution) {
    return sdk.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setExecution(execution).build()).getWorkflowExecutionInfo().getStatus();
  }

  private String reset(WorkflowExecution execution, long finishEventId, String requestId) {
    return sdk.service().blockingStub().resetWorkflowExecution(ResetWorkflowExecutionRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setWorkflowExecution(execution).setWorkflowTaskFinishEventId(finishEventId)
        .setReason("try again").setRequestId(requestId).build()).getRunId();
  }

  private static long firstEventId(List<HistoryEvent> events, EventType type) {
    return events.stream().filter(event -> event.getEventType() == type).findFirst().orElseThrow().getEventId();
  }

  @Test
  void resetOfACompletedWorkflowReplaysFromTheFirstTaskWithItsSignals() throws Exception {
    ResettableWorkflow workflow = sdk.client().newWorkflowStub(ResettableWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("reset-1").build());
    WorkflowExecution base = WorkflowClient.start(workflow::run, 10L);
    workflow.add("a");
    workflow.add("b");
    assertThat(WorkflowStub.fromTyped(workflow).getResult(10, TimeUnit.SECONDS, String.class)).isEqualTo("step1step2[a, b]");
    long firstTaskCompleted = firstEventId(history(base), EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);

    String newRunId = reset(base, firstTaskCompleted, "reset-request-1");
    assertThat(reset(base, firstTaskCompleted, "reset-request-1")).as("same request id, same run").isEqualTo(newRunId);

    String result = sdk.client().newUntypedWorkflowStub("reset-1").getResult(10, TimeUnit.SECONDS, String.class);
    assertThat(result).isEqualTo("step1step2[a, b]");
    WorkflowExecution newRun = WorkflowExecution.newBuilder().setWorkflowId("reset-1").setRunId(newRunId).build();
    List<HistoryEvent> events = history(newRun);
    assertThat(events.subList(0, 3)).isEqualTo(history(base).subList(0, 3));
    HistoryEvent failed = events.get(3);
    assertThat(failed.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    assertThat(failed.getWorkflowTaskFailedEventAttributes().getCause()).isEqualTo(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
    assertThat(failed.getWorkflowTaskFailedEventAttributes().getBaseRunId()).isEqualTo(base.getRunId());
    assertThat(failed.getWorkflowTaskFailedEventAttributes().getNewRunId()).isEqualTo(newRunId);
    assertThat(events.get(4).getWorkflowExecutionSignaledEventAttributes().getSignalName()).isEqualTo("add");
    assertThat(events.get(5).getWorkflowExecutionSignaledEventAttributes().getSignalName()).isEqualTo("add");
    assertThat(EXECUTIONS.get(1)).hasValue(2);
    assertThat(status(base)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void resetOfARunningWorkflowTerminatesItAndKeepsItsPendingTimer() throws Exception {
    ResettableWorkflow workflow = sdk.client().newWorkflowStub(ResettableWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("reset-2").build());
    WorkflowExecution base = WorkflowClient.start(workflow::run, 1_500L);
    HistoryProbe probe = new HistoryProbe(sdk.client());
    probe.awaitEvent("reset-2", EventType.EVENT_TYPE_TIMER_STARTED, Duration.ofSeconds(10));
    workflow.add("early");
    // The workflow task that handled the signal completes while the timer is still pending.
    probe.awaitEvent("reset-2", EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 3, Duration.ofSeconds(10));
    List<HistoryEvent> before = history(base);
    long signalTaskCompleted = before.stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
        .skip(2).findFirst().orElseThrow().getEventId();
    assertThat(before.stream().map(HistoryEvent::getEventType)).doesNotContain(EventType.EVENT_TYPE_TIMER_FIRED);

    String newRunId = reset(base, signalTaskCompleted, "");
    assertThat(status(base)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    HistoryEvent terminated = history(base).get(history(base).size() - 1);
    assertThat(terminated.getWorkflowExecutionTerminatedEventAttributes().getIdentity()).isEqualTo("history-resetter");

    workflow.add("late");
    String result = sdk.client().newUntypedWorkflowStub("reset-2").getResult(10, TimeUnit.SECONDS, String.class);
    assertThat(result).isEqualTo("step1step2[early, late]");
    WorkflowExecution newRun = WorkflowExecution.newBuilder().setWorkflowId("reset-2").setRunId(newRunId).build();
    assertThat(history(newRun).stream().map(HistoryEvent::getEventType)).contains(EventType.EVENT_TYPE_TIMER_FIRED);
    assertThat(EXECUTIONS.get(1)).hasValue(1);
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void resetToAPointAfterAChildWorkflowEndedCopiesTheChildAsHistory() throws Exception {
    ParentWorkflow workflow = sdk.client().newWorkflowStub(ParentWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("reset-parent").build());
    WorkflowExecution base = WorkflowClient.start(workflow::run);
    HistoryProbe probe = new HistoryProbe(sdk.client());
    probe.awaitEvent("reset-parent", EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED, Duration.ofSeconds(10));
    workflow.add("a");
    assertThat(WorkflowStub.fromTyped(workflow).getResult(10, TimeUnit.SECONDS, String.class)).isEqualTo("child[a]");
    List<HistoryEvent> events = history(base);
    long childCompleted = firstEventId(events, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED);
    long taskAfterChild = events.stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && event.getEventId() > childCompleted)
        .findFirst().orElseThrow().getEventId();

    String newRunId = reset(base, taskAfterChild, "");

    String result = sdk.client().newUntypedWorkflowStub("reset-parent").getResult(10, TimeUnit.SECONDS, String.class);
    assertThat(result).isEqualTo("child[a]");
    WorkflowExecution newRun = WorkflowExecution.newBuilder().setWorkflowId("reset-parent").setRunId(newRunId).build();
    assertThat(history(newRun).stream().map(HistoryEvent::getEventType).filter(type -> type == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED))
        .as("the child is not started again").hasSize(1);
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void resetPointMustEndAWorkflowTask() {
    ResettableWorkflow workflow = sdk.client().newWorkflowStub(ResettableWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("reset-3").build());
    WorkflowExecution base = WorkflowClient.start(workflow::run, 10_000L);
    new HistoryProbe(sdk.client()).awaitEvent("reset-3", EventType.EVENT_TYPE_TIMER_STARTED, Duration.ofSeconds(10));
    long activityScheduled = firstEventId(history(base), EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);

    for (long finish : new long[] {1, activityScheduled + 1, 10_000}) {
      assertThatThrownBy(() -> reset(base, finish, ""))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
    assertThat(status(base)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }
}
