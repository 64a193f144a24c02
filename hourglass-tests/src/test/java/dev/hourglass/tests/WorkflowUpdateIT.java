package dev.hourglass.tests;

import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.update.v1.Input;
import io.temporal.api.update.v1.Meta;
import io.temporal.api.update.v1.Request;
import io.temporal.api.update.v1.WaitPolicy;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
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

/** Workflow Update as the Java SDK uses it: stubs, handles, validators, ids, and the errors Temporal gives. */
@Timeout(90)
class WorkflowUpdateIT {
  private static final String TASK_QUEUE = "updates";

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface CounterWorkflow {
    @WorkflowMethod
    int run();

    /** Adds to the total and answers the new total; negative amounts are rejected by the validator. */
    @UpdateMethod
    int add(int amount);

    @UpdateValidatorMethod(updateName = "add")
    void validateAdd(int amount);

    /** Completes only once {@link #release} was signalled: an update that stays accepted for a while. */
    @UpdateMethod
    int addWhenReleased(int amount);

    @SignalMethod
    void release();

    @SignalMethod
    void finish();
  }

  public static class CounterWorkflowImpl implements CounterWorkflow {
    private int total;
    private boolean released;
    private boolean finished;

    @Override
    public int run() {
      Workflow.await(() -> finished);
      return total;
    }

    @Override
    public int add(int amount) {
      total += amount;
      return total;
    }

    @Override
    public void validateAdd(int amount) {
      if (amount < 0) {
        throw ApplicationFailure.newFailure("amount must not be negative: " + amount, "NegativeAmount");
      }
    }

    @Override
    public int addWhenReleased(int amount) {
      Workflow.await(() -> released);
      total += amount;
      return total;
    }

    @Override
    public void release() {
      released = true;
    }

    @Override
    public void finish() {
      finished = true;
    }
  }

  /** A workflow that completes in its first workflow task, after the updates that task carries. */
  @WorkflowInterface
  public interface GreetingWorkflow {
    @WorkflowMethod
    String run();

    @UpdateMethod
    String greet(String name);
  }

  public static class GreetingWorkflowImpl implements GreetingWorkflow {
    @Override
    public String run() {
      return "done";
    }

    @Override
    public String greet(String name) {
      return "hello " + name;
    }
  }

  /** Continues as new, slowly, when signalled; its update answers which run took it. */
  @WorkflowInterface
  public interface RelayWorkflow {
    @WorkflowMethod
    void run(int runNumber);

    @SignalMethod
    void handOver();

    @UpdateMethod
    String whichRun();
  }

  public static class RelayWorkflowImpl implements RelayWorkflow {
    private int runNumber;
    private boolean handOver;

    @Override
    public void run(int runNumber) {
      this.runNumber = runNumber;
      Workflow.await(() -> handOver);
      Workflow.continueAsNew(runNumber + 1);
    }

    @Override
    public void handOver() {
      if (!Workflow.isReplaying()) {
        // Keeps the workflow task that continues as new running while the test sends its update.
        try {
          Thread.sleep(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      handOver = true;
    }

    @Override
    public String whichRun() {
      return "run " + runNumber;
    }
  }

  @BeforeEach
  void start() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE,
        worker -> worker.registerWorkflowImplementationTypes(CounterWorkflowImpl.class, GreetingWorkflowImpl.class));
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  private CounterWorkflow startCounter(String workflowId) {
    CounterWorkflow counter = sdk.client().newWorkflowStub(CounterWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
    WorkflowClient.start(counter::run);
    return counter;
  }

  private List<EventType> eventTypes(String workflowId) {
    return new HistoryProbe(sdk.client()).eventTypes(workflowId);
  }

  @Test
  void updateMethodAnswersAndIsRecordedAfterTheWorkflowTaskThatAcceptedIt() throws Exception {
    CounterWorkflow counter = startCounter("update-1");
    assertThat(counter.add(5)).isEqualTo(5);
    assertThat(counter.add(7)).isEqualTo(12);
    counter.finish();
    assertThat(WorkflowStub.fromTyped(counter).getResult(10, TimeUnit.SECONDS, Integer.class)).isEqualTo(12);

    List<HistoryEvent> events = new HistoryProbe(sdk.client()).events("update-1");
    assertThat(HistoryProbe.count(events, EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).isEqualTo(2);
    assertThat(HistoryProbe.count(events, EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).isEqualTo(2);
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).getEventType() == EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
        assertThat(events.get(i - 1).getEventType()).isEqualTo(EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
        var accepted = events.get(i).getWorkflowExecutionUpdateAcceptedEventAttributes();
        assertThat(accepted.getAcceptedRequest().getInput().getName()).isEqualTo("add");
        var completed = events.get(i + 1).getWorkflowExecutionUpdateCompletedEventAttributes();
        assertThat(completed.getAcceptedEventId()).isEqualTo(events.get(i).getEventId());
        assertThat(completed.getMeta().getUpdateId()).isEqualTo(accepted.getProtocolInstanceId());
      }
    }
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void rejectedUpdateFailsTheCallerAndLeavesNoEvents() throws Exception {
    CounterWorkflow counter = startCounter("update-2");
    assertThat(counter.add(1)).isEqualTo(1);
    List<EventType> before = eventTypes("update-2");

    assertThatThrownBy(() -> counter.add(-3))
        .isInstanceOf(WorkflowUpdateException.class)
        .cause().isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("amount must not be negative: -3");

    assertThat(eventTypes("update-2")).isEqualTo(before);
    // The worker rolled its cached history back: the next update and the workflow go on normally.
    assertThat(counter.add(2)).isEqualTo(3);
    counter.finish();
    assertThat(WorkflowStub.fromTyped(counter).getResult(10, TimeUnit.SECONDS, Integer.class)).isEqualTo(3);
    // The worker itself reports a failing validator (whatever the server); nothing else is logged.
    assertThat(sdkLogs.events()).allSatisfy(event -> assertThat(event.message()).startsWith("Workflow execution failure"))
        .allSatisfy(event -> assertThat(event.throwable()).contains("amount must not be negative"));
  }

  @Test
  void sameUpdateIdGetsTheSameOutcomeAlsoAfterTheWorkflowClosed() throws Exception {
    CounterWorkflow counter = startCounter("update-3");
    WorkflowStub stub = WorkflowStub.fromTyped(counter);
    UpdateOptions<Integer> options = UpdateOptions.newBuilder(Integer.class)
        .setUpdateName("add").setUpdateId("add-ten").setWaitForStage(WorkflowUpdateStage.COMPLETED).build();

    assertThat(stub.startUpdate(options, 10).getResult()).isEqualTo(10);
    assertThat(stub.startUpdate(options, 10).getResult()).isEqualTo(10);
    counter.finish();
    assertThat(stub.getResult(10, TimeUnit.SECONDS, Integer.class)).isEqualTo(10);
    assertThat(stub.startUpdate(options, 10).getResult()).isEqualTo(10);

    assertThat(eventTypes("update-3")).filteredOn(type -> type == EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).hasSize(1);
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void startUpdateReturnsAtAcceptedAndTheResultArrivesLater() throws Exception {
    CounterWorkflow counter = startCounter("update-4");
    WorkflowUpdateHandle<Integer> handle = WorkflowClient.startUpdate(counter::addWhenReleased, 4,
        UpdateOptions.<Integer>newBuilder().setWaitForStage(WorkflowUpdateStage.ACCEPTED).build());
    assertThat(handle.getResultAsync()).isNotDone();
    assertThat(eventTypes("update-4")).contains(EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
        .doesNotContain(EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);

    counter.release();
    assertThat(handle.getResultAsync().get(10, TimeUnit.SECONDS)).isEqualTo(4);
    // A handle made from the id alone polls the same outcome.
    WorkflowUpdateHandle<Integer> byId = WorkflowStub.fromTyped(counter).getUpdateHandle(handle.getId(), Integer.class);
    assertThat(byId.getResult()).isEqualTo(4);
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void acceptedUpdateFailsWhenTheWorkflowClosesFirst() throws Exception {
    CounterWorkflow counter = startCounter("update-5");
    WorkflowUpdateHandle<Integer> handle = WorkflowClient.startUpdate(counter::addWhenReleased, 1,
        UpdateOptions.<Integer>newBuilder().setWaitForStage(WorkflowUpdateStage.ACCEPTED).build());
    WorkflowStub.fromTyped(counter).terminate("test");

    assertThatThrownBy(() -> handle.getResultAsync().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(WorkflowUpdateException.class)
        .hasStackTraceContaining("Workflow Update failed because the Workflow completed before the Update completed.");
  }

  @Test
  void updateOfAClosedOrUnknownWorkflowIsNotFound() throws Exception {
    CounterWorkflow counter = startCounter("update-6");
    counter.finish();
    WorkflowStub.fromTyped(counter).getResult(10, TimeUnit.SECONDS, Integer.class);
    assertThatThrownBy(() -> counter.add(1)).isInstanceOf(WorkflowNotFoundException.class);

    CounterWorkflow unknown = sdk.client().newWorkflowStub(CounterWorkflow.class, "no-such-workflow");
    assertThatThrownBy(() -> unknown.add(1)).isInstanceOf(WorkflowNotFoundException.class);
  }

  private CounterWorkflow counterStub(String workflowId, WorkflowIdConflictPolicy conflictPolicy) {
    return sdk.client().newWorkflowStub(CounterWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
        .setWorkflowId(workflowId).setWorkflowIdConflictPolicy(conflictPolicy).build());
  }

  @Test
  void updateWithStartStartsTheWorkflowOnceAndUpdatesTheRunningOne() throws Exception {
    CounterWorkflow counter = counterStub("update-with-start-1", WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING);
    WithStartWorkflowOperation<Integer> start = new WithStartWorkflowOperation<>(counter::run);
    assertThat(WorkflowClient.executeUpdateWithStart(counter::add, 5, UpdateOptions.<Integer>newBuilder().build(), start)).isEqualTo(5);

    CounterWorkflow again = counterStub("update-with-start-1", WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING);
    WithStartWorkflowOperation<Integer> startAgain = new WithStartWorkflowOperation<>(again::run);
    assertThat(WorkflowClient.executeUpdateWithStart(again::add, 2, UpdateOptions.<Integer>newBuilder().build(), startAgain))
        .isEqualTo(7);
    assertThat(WorkflowStub.fromTyped(again).getExecution().getRunId())
        .isEqualTo(WorkflowStub.fromTyped(counter).getExecution().getRunId());

    CounterWorkflow conflicting = counterStub("update-with-start-1", WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL);
    assertThatThrownBy(() -> WorkflowClient.executeUpdateWithStart(conflicting::add, 1, UpdateOptions.<Integer>newBuilder().build(),
        new WithStartWorkflowOperation<>(conflicting::run)))
        .hasStackTraceContaining("ALREADY_EXISTS");

    counter.finish();
    assertThat(start.getResult()).isEqualTo(7);
    assertThat(eventTypes("update-with-start-1")).filteredOn(type -> type == EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED).hasSize(2);
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void updateWithStartOfAWorkflowThatCompletesInItsFirstTaskAnswersTheUpdatesOutcome() throws Exception {
    // The update rides the run's first workflow task, which also completes the workflow: the caller gets the
    // update's result, not NOT_FOUND (several times, as a worker taking the task before the admission is a race).
    for (int i = 0; i < 10; i++) {
      GreetingWorkflow greeting = sdk.client().newWorkflowStub(GreetingWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("greet-with-start-" + i)
              .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL).build());
      WithStartWorkflowOperation<String> start = new WithStartWorkflowOperation<>(greeting::run);

      String greeted = WorkflowClient.executeUpdateWithStart(greeting::greet, "ada", UpdateOptions.<String>newBuilder().build(), start);

      assertThat(greeted).isEqualTo("hello ada");
      assertThat(start.getResult()).isEqualTo("done");
      assertThat(eventTypes("greet-with-start-" + i)).contains(EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
    }
  }

  @Test
  void anUpdateAdmittedWhileTheRunContinuesAsNewLandsOnTheNewRun() throws Exception {
    sdk.startWorker("relay", io.temporal.worker.WorkerOptions.newBuilder()
            .setDefaultDeadlockDetectionTimeout(Duration.ofSeconds(30).toMillis()).build(),
        worker -> worker.registerWorkflowImplementationTypes(RelayWorkflowImpl.class));
    WorkflowClient.start(sdk.client().newWorkflowStub(RelayWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("relay").setWorkflowId("relay-1").build())::run, 1);
    HistoryProbe history = new HistoryProbe(sdk.client());
    history.awaitEvent("relay-1", EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, Duration.ofSeconds(10));
    RelayWorkflow relay = sdk.client().newWorkflowStub(RelayWorkflow.class, "relay-1");

    relay.handOver();
    // The signal's workflow task, which continues as new, is running: the update is admitted to the first run.
    history.awaitEvent("relay-1", EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, 2, Duration.ofSeconds(10));
    String answer = relay.whichRun();

    // As in Temporal the first run answers "workflow is closing" (retryable), and the SDK's retry reaches run 2.
    assertThat(answer).isEqualTo("run 2");
  }

  @Test
  void updateWithoutAWorkerWaitsForItsDeadline() {
    String workflowId = "update-7";
    WorkflowExecution execution = sdk.client().newUntypedWorkflowStub("CounterWorkflow",
        WorkflowOptions.newBuilder().setTaskQueue("nobody-polls").setWorkflowId(workflowId).build()).start();
    UpdateWorkflowExecutionRequest request = UpdateWorkflowExecutionRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE)
        .setWorkflowExecution(execution)
        .setWaitPolicy(WaitPolicy.newBuilder()
            .setLifecycleStage(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED))
        .setRequest(Request.newBuilder().setMeta(Meta.newBuilder().setUpdateId("lonely"))
            .setInput(Input.newBuilder().setName("add")))
        .build();

    long started = System.nanoTime();
    assertThatThrownBy(() -> sdk.service().blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS).updateWorkflowExecution(request))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));

    // Waiting only for ADMITTED is refused, as by Temporal.
    UpdateWorkflowExecutionRequest admitted = request.toBuilder().setWaitPolicy(WaitPolicy.newBuilder()
        .setLifecycleStage(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED)).build();
    assertThatThrownBy(() -> sdk.service().blockingStub().updateWorkflowExecution(admitted))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }
}
