package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Starting workflows: id uniqueness while running, run timeout, memo. */
@Timeout(60)
class WorkflowStartIT {
  private static final String TASK_QUEUE = "starts";
  private static final long RESULT_TIMEOUT_SECONDS = 15;

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface NapWorkflow {
    @WorkflowMethod
    String nap(long sleepMillis);
  }

  public static class NapWorkflowImpl implements NapWorkflow {
    @Override
    public String nap(long sleepMillis) {
      Workflow.sleep(Duration.ofMillis(sleepMillis));
      return "rested";
    }
  }

  @BeforeEach
  void startServerAndWorker() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(NapWorkflowImpl.class));
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

  private WorkflowOptions.Builder options(String workflowId) {
    return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId);
  }

  @Test
  void startingASecondWorkflowWithTheIdOfARunningOneIsRejected() {
    WorkflowStub first = sdk.client().newUntypedWorkflowStub("NapWorkflow", options("order-42").build());
    WorkflowExecution running = first.start(60_000L);

    WorkflowStub second = sdk.client().newUntypedWorkflowStub("NapWorkflow", options("order-42").build());
    WorkflowExecutionAlreadyStarted rejected =
        catchThrowableOfType(WorkflowExecutionAlreadyStarted.class, () -> second.start(60_000L));

    assertThat(rejected).isNotNull();
    assertThat(rejected.getExecution().getWorkflowId()).isEqualTo("order-42");
    assertThat(rejected.getExecution().getRunId()).isEqualTo(running.getRunId());
    assertThat(first.describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  @Test
  void workflowIdCanBeReusedAfterTheFirstRunCompleted() throws Exception {
    WorkflowStub first = sdk.client().newUntypedWorkflowStub("NapWorkflow", options("invoice-7").build());
    WorkflowExecution firstRun = first.start(10L);
    first.getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class);

    WorkflowStub second = sdk.client().newUntypedWorkflowStub("NapWorkflow", options("invoice-7").build());
    WorkflowExecution secondRun = second.start(10L);

    assertThat(secondRun.getRunId()).isNotEqualTo(firstRun.getRunId());
    assertThat(second.getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class)).isEqualTo("rested");
  }

  @Test
  void workflowRunningPastItsRunTimeoutFailsWithATimeout() {
    WorkflowStub workflow = sdk.client().newUntypedWorkflowStub(
        "NapWorkflow", options("run-timeout").setWorkflowRunTimeout(Duration.ofSeconds(1)).build());
    workflow.start(60_000L);

    WorkflowFailedException failed = catchThrowableOfType(
        WorkflowFailedException.class, () -> workflow.getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class));

    assertThat(failed).isNotNull();
    assertThat(failed.getCause()).isInstanceOf(TimeoutFailure.class);
    assertThat(((TimeoutFailure) failed.getCause()).getTimeoutType()).isEqualTo(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    assertThat(workflow.describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT);
  }

  @Test
  void memoGivenAtStartIsVisibleInDescribe() {
    WorkflowStub workflow = sdk.client().newUntypedWorkflowStub(
        "NapWorkflow", options("with-memo").setMemo(Map.of("owner", "alice", "priority", 3)).build());
    workflow.start(60_000L);

    var description = sdk.client().newUntypedWorkflowStub("with-memo").describe();

    assertThat(description.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    assertThat(description.getMemo("owner", String.class)).isEqualTo("alice");
    assertThat(description.getMemo("priority", Integer.class)).isEqualTo(3);
  }

  @Test
  void anEagerStartHandsTheFirstWorkflowTaskToTheStartingClientsWorker() throws Exception {
    var namespace = sdk.service().blockingStub().describeNamespace(
        io.temporal.api.workflowservice.v1.DescribeNamespaceRequest.newBuilder().setNamespace(SdkEnvironment.NAMESPACE).build());
    assertThat(namespace.getNamespaceInfo().getCapabilities().getEagerWorkflowStart()).as("eager_workflow_start capability").isTrue();
    // A client with a worker of its own on the task queue asks for the first workflow task with the start.
    io.temporal.client.WorkflowClient client = io.temporal.client.WorkflowClient.newInstance(sdk.service(),
        io.temporal.client.WorkflowClientOptions.newBuilder().setNamespace(SdkEnvironment.NAMESPACE).setIdentity("eager-client").build());
    io.temporal.worker.WorkerFactory factory = io.temporal.worker.WorkerFactory.newInstance(client);
    factory.newWorker("eager-starts", io.temporal.worker.WorkerOptions.newBuilder().setIdentity("eager-worker").build())
        .registerWorkflowImplementationTypes(NapWorkflowImpl.class);
    factory.start();
    try {
      NapWorkflow workflow = client.newWorkflowStub(NapWorkflow.class, WorkflowOptions.newBuilder()
          .setTaskQueue("eager-starts").setWorkflowId("eager-1").setDisableEagerExecution(false).build());

      assertThat(workflow.nap(10)).isEqualTo("rested");

      // The first task was started by the start request (Temporal records the starter's identity), not by a poll.
      var firstTaskStarted = new dev.hourglass.tests.support.HistoryProbe(client).events("eager-1").stream()
          .filter(event -> event.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
          .findFirst().orElseThrow();
      assertThat(firstTaskStarted.getEventId()).isEqualTo(3);
      assertThat(firstTaskStarted.getWorkflowTaskStartedEventAttributes().getIdentity()).isEqualTo("eager-client");
    } finally {
      SdkEnvironment.shutdown(factory);
    }
    assertThat(sdkLogs.events()).isEmpty();
  }
}
