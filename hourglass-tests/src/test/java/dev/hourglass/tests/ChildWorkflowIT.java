package dev.hourglass.tests;

import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child workflows and the commands that reach other workflows (signal and cancel external), as the
 * seeds' daily digest (a child per user) and their cancellations use them.
 */
@Timeout(60)
class ChildWorkflowIT {
  private static final String TASK_QUEUE = "children";

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface ParentWorkflow {
    @WorkflowMethod
    String run(String scenario, String otherId);
  }

  @WorkflowInterface
  public interface GreetingWorkflow {
    /** "fail…" fails, "wait…" waits for {@link #release}, "sleep…" sleeps an hour; otherwise it greets at once. */
    @WorkflowMethod
    String greet(String name);

    @SignalMethod
    void release();
  }

  public static class GreetingWorkflowImpl implements GreetingWorkflow {
    private boolean released;

    @Override
    public String greet(String name) {
      if (name.startsWith("fail")) {
        throw ApplicationFailure.newNonRetryableFailure("child says no", "ChildError");
      }
      if (name.startsWith("wait")) {
        Workflow.await(() -> released);
      }
      if (name.startsWith("sleep")) {
        Workflow.sleep(Duration.ofHours(1));
      }
      if (name.equals("priority")) {
        return "priority " + Workflow.getInfo().getPriority().getPriorityKey();
      }
      return "hello " + name;
    }

    @Override
    public void release() {
      released = true;
    }
  }

  public static class ParentWorkflowImpl implements ParentWorkflow {
    @Override
    public String run(String scenario, String otherId) {
      switch (scenario) {
        case "result":
          return child(otherId, ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE).greet("world");
        case "wait-for-child":
          return child(otherId, ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE).greet("wait");
        case "priority":
          return child(otherId, ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE).greet("priority");
        case "fan-out": {
          List<Promise<String>> greetings = List.of(
              Async.function(child(otherId + "-a", ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)::greet, "a"),
              Async.function(child(otherId + "-b", ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)::greet, "b"),
              Async.function(child(otherId + "-c", ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)::greet, "c"));
          StringBuilder all = new StringBuilder();
          for (Promise<String> greeting : greetings) {
            all.append(greeting.get()).append(';');
          }
          return all.toString();
        }
        case "fail":
          try {
            return child(otherId, ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE).greet("fail");
          } catch (ChildWorkflowFailure e) {
            return "failed: " + ((ApplicationFailure) e.getCause()).getOriginalMessage();
          }
        case "conflict":
          try {
            return child(otherId, ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE).greet("twin");
          } catch (ChildWorkflowFailure e) {
            return "conflict: " + e.getCause().getClass().getSimpleName();
          }
        case "timeout":
          try {
            return Workflow.newChildWorkflowStub(GreetingWorkflow.class, ChildWorkflowOptions.newBuilder()
                .setWorkflowId(otherId).setWorkflowRunTimeout(Duration.ofSeconds(1)).build()).greet("sleep");
          } catch (ChildWorkflowFailure e) {
            return "timeout: " + e.getCause().getClass().getSimpleName();
          }
        case "cancel": {
          GreetingWorkflow child = child(otherId, ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE);
          Promise<String>[] greeting = new Promise[1];
          CancellationScope scope = Workflow.newCancellationScope(() -> greeting[0] = Async.function(child::greet, "wait"));
          scope.run();
          Workflow.getWorkflowExecution(child).get();
          scope.cancel();
          try {
            return greeting[0].get();
          } catch (ChildWorkflowFailure e) {
            return "canceled: " + e.getCause().getClass().getSimpleName();
          }
        }
        case "signal-external":
          Workflow.newExternalWorkflowStub(GreetingWorkflow.class, otherId).release();
          return "signalled";
        case "signal-missing":
          try {
            Workflow.newExternalWorkflowStub(GreetingWorkflow.class, otherId).release();
            return "signalled";
          } catch (ApplicationFailure e) {
            // What the 1.38 SDK throws for a SignalExternalWorkflowExecutionFailed event.
            return "missing: " + e.getType();
          }
        case "cancel-external":
          Workflow.newUntypedExternalWorkflowStub(otherId).cancel();
          return "cancel requested";
        case "hold": {
          Async.function(child(otherId, ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)::greet, "wait");
          Workflow.sleep(Duration.ofHours(1));
          return "held";
        }
        default: {
          // "abandon", "terminate", "request-cancel": start a waiting child, then finish at once.
          ParentClosePolicy policy = switch (scenario) {
            case "abandon" -> ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON;
            case "request-cancel" -> ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL;
            default -> ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE;
          };
          GreetingWorkflow child = child(otherId, policy);
          Async.function(child::greet, "wait");
          Workflow.getWorkflowExecution(child).get();
          return "left " + scenario;
        }
      }
    }

    private static GreetingWorkflow child(String workflowId, ParentClosePolicy policy) {
      return Workflow.newChildWorkflowStub(GreetingWorkflow.class,
          ChildWorkflowOptions.newBuilder().setWorkflowId(workflowId).setParentClosePolicy(policy).build());
    }
  }

  @BeforeEach
  void start() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(ParentWorkflowImpl.class, GreetingWorkflowImpl.class));
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  private String runParent(String workflowId, String scenario, String otherId) {
    ParentWorkflow parent = sdk.client().newWorkflowStub(ParentWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
    return parent.run(scenario, otherId);
  }

  private WorkflowStub startGreeting(String workflowId, String name) {
    WorkflowStub stub = sdk.client().newUntypedWorkflowStub("GreetingWorkflow",
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
    stub.start(name);
    return stub;
  }

  private DescribeWorkflowExecutionResponse describe(String workflowId) {
    return sdk.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE)
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
        .build());
  }

  private WorkflowExecutionStatus statusOf(String workflowId) {
    return describe(workflowId).getWorkflowExecutionInfo().getStatus();
  }

  @Test
  void aChildsResultReachesItsParentWithEveryChildEventInHistory() {
    assertThat(runParent("parent-result", "result", "child-result")).isEqualTo("hello world");

    List<EventType> parentEvents = new HistoryProbe(sdk.client()).eventTypes("parent-result");
    assertThat(parentEvents).containsSubsequence(EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
        EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED);
    var childInfo = describe("child-result").getWorkflowExecutionInfo();
    assertThat(childInfo.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    assertThat(childInfo.getParentExecution().getWorkflowId()).isEqualTo("parent-result");
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void childrenStartedTogetherEachReportTheirOwnResult() {
    assertThat(runParent("parent-fan-out", "fan-out", "fan")).isEqualTo("hello a;hello b;hello c;");
    List<HistoryEvent> events = new HistoryProbe(sdk.client()).events("parent-fan-out");
    assertThat(HistoryProbe.count(events, EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)).isEqualTo(3);
    for (HistoryEvent event : events) {
      if (event.getEventType() == EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED) {
        long startedEventId = event.getChildWorkflowExecutionCompletedEventAttributes().getStartedEventId();
        assertThat(events.get((int) startedEventId - 1).getEventType()).isEqualTo(EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED);
      }
    }
  }

  @Test
  void aChildWithoutAPriorityTakesItsParents() {
    ParentWorkflow parent = sdk.client().newWorkflowStub(ParentWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
        .setWorkflowId("parent-priority").setPriority(io.temporal.common.Priority.newBuilder().setPriorityKey(4).build()).build());
    assertThat(parent.run("priority", "child-priority")).isEqualTo("priority 4");
  }

  @Test
  void aChildsFailureReachesItsParentAsAChildWorkflowFailure() {
    assertThat(runParent("parent-fail", "fail", "child-fail")).isEqualTo("failed: child says no");
  }

  @Test
  void aChildWhoseIdIsAlreadyRunningFailsToStart() {
    startGreeting("twin", "sleep");
    assertThat(runParent("parent-conflict", "conflict", "twin")).isEqualTo("conflict: WorkflowExecutionAlreadyStarted");
    assertThat(statusOf("twin")).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  @Test
  void aChildThatTimesOutFailsItsParentsCallWithATimeout() {
    assertThat(runParent("parent-timeout", "timeout", "child-timeout")).isEqualTo("timeout: TimeoutFailure");
  }

  @Test
  void aCanceledChildIsReportedCanceled() {
    assertThat(runParent("parent-cancel", "cancel", "child-cancel")).isEqualTo("canceled: CanceledFailure");
    assertThat(statusOf("child-cancel")).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
  }

  @Test
  void parentClosePolicyTerminateEndsTheChildWhenTheParentCloses() {
    assertThat(runParent("parent-terminate", "terminate", "child-terminate")).isEqualTo("left terminate");
    await().atMost(Duration.ofSeconds(10)).until(() -> statusOf("child-terminate")
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    HistoryEvent last = lastEvent("child-terminate");
    assertThat(last.getWorkflowExecutionTerminatedEventAttributes().getReason()).isEqualTo("by parent close policy");
  }

  @Test
  void deletingARunningParentAppliesItsParentClosePolicyFirst() {
    ParentWorkflow parent = sdk.client().newWorkflowStub(ParentWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("parent-deleted").build());
    WorkflowExecution execution = io.temporal.client.WorkflowClient.start(parent::run, "wait-for-child", "child-of-deleted");
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> statusOf("child-of-deleted")
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    sdk.service().blockingStub().deleteWorkflowExecution(io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setWorkflowExecution(execution).build());
    // As in Temporal: the parent is terminated, its close policy applied, then it is deleted.
    await().atMost(Duration.ofSeconds(10)).until(() -> statusOf("child-of-deleted")
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    assertThat(lastEvent("child-of-deleted").getWorkflowExecutionTerminatedEventAttributes().getReason())
        .isEqualTo("by parent close policy");
  }

  @Test
  void parentClosePolicyRequestCancelCancelsTheChild() {
    assertThat(runParent("parent-request-cancel", "request-cancel", "child-request-cancel")).isEqualTo("left request-cancel");
    await().atMost(Duration.ofSeconds(10)).until(() -> statusOf("child-request-cancel")
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
  }

  @Test
  void parentClosePolicyAbandonLeavesTheChildRunning() throws Exception {
    assertThat(runParent("parent-abandon", "abandon", "child-abandon")).isEqualTo("left abandon");
    Thread.sleep(500);
    assertThat(statusOf("child-abandon")).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    WorkflowStub child = sdk.client().newUntypedWorkflowStub("child-abandon");
    child.signal("release");
    assertThat(child.getResult(10, TimeUnit.SECONDS, String.class)).isEqualTo("hello wait");
  }

  @Test
  void aWorkflowSignalsAnotherByItsId() throws Exception {
    WorkflowStub target = startGreeting("signal-target", "wait-for-signal");
    assertThat(runParent("signaller", "signal-external", "signal-target")).isEqualTo("signalled");
    assertThat(target.getResult(10, TimeUnit.SECONDS, String.class)).isEqualTo("hello wait-for-signal");
    HistoryEvent signaled = new HistoryProbe(sdk.client()).events("signal-target").stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).findFirst().orElseThrow();
    assertThat(signaled.getWorkflowExecutionSignaledEventAttributes().getExternalWorkflowExecution().getWorkflowId()).isEqualTo("signaller");
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void signallingAWorkflowThatDoesNotExistFailsInTheSender() {
    assertThat(runParent("signaller-missing", "signal-missing", "nobody-here")).isEqualTo(
        "missing: SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND");
  }

  @Test
  void aWorkflowRequestsCancellationOfAnother() {
    startGreeting("cancel-target", "wait-forever");
    assertThat(runParent("canceller", "cancel-external", "cancel-target")).isEqualTo("cancel requested");
    await().atMost(Duration.ofSeconds(10)).until(() -> statusOf("cancel-target")
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
  }

  @Test
  void describeShowsPendingChildrenAndTerminatingTheParentAppliesTheirPolicy() {
    ParentWorkflow parent = sdk.client().newWorkflowStub(ParentWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("parent-holding").build());
    WorkflowClient.start(parent::run, "hold", "child-held");
    await().atMost(Duration.ofSeconds(10)).until(() -> describe("parent-holding").getPendingChildrenCount() == 1
        && !describe("parent-holding").getPendingChildren(0).getRunId().isEmpty());
    var pending = describe("parent-holding").getPendingChildren(0);
    assertThat(pending.getWorkflowId()).isEqualTo("child-held");
    assertThat(pending.getWorkflowTypeName()).isEqualTo("GreetingWorkflow");
    assertThat(pending.getParentClosePolicy()).isEqualTo(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE);

    sdk.client().newUntypedWorkflowStub("parent-holding").terminate("test is over");
    await().atMost(Duration.ofSeconds(10)).until(() -> statusOf("child-held")
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
  }

  private HistoryEvent lastEvent(String workflowId) {
    List<HistoryEvent> events = new HistoryProbe(sdk.client()).events(workflowId);
    return events.get(events.size() - 1);
  }
}
