package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.TerminatedFailure;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests over Temporal's 4 MB limit get Temporal's error, in the words the SDK recognises, and a
 * workflow task completion over it ends the run instead of being retried for ever.
 */
@Timeout(120)
class MessageSizeIT {
  private static final String TASK_QUEUE = "message-size";
  /** About 5 MB: over the 4 MB request limit, whatever else the request carries. */
  private static final int OVERSIZED_BYTES = 5 * 1024 * 1024;

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @ActivityInterface
  public interface Echo {
    String echo(String input);
  }

  @WorkflowInterface
  public interface Sender {
    @WorkflowMethod
    String send(int bytes);
  }

  public static class SenderImpl implements Sender {
    @Override
    public String send(int bytes) {
      Echo echo = Workflow.newActivityStub(Echo.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
      return echo.echo("x".repeat(bytes));
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

  @Test
  void aRequestOverFourMegabytesIsRefusedWithTemporalsError() {
    StartWorkflowExecutionRequest start = StartWorkflowExecutionRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE)
        .setWorkflowId("oversized-start")
        .setRequestId(UUID.randomUUID().toString())
        .setWorkflowType(WorkflowType.newBuilder().setName("Sender"))
        .setTaskQueue(TaskQueue.newBuilder().setName(TASK_QUEUE))
        .setInput(Payloads.newBuilder().addPayloads(Payload.newBuilder().setData(ByteString.copyFrom(new byte[OVERSIZED_BYTES]))))
        .build();

    StatusRuntimeException refused = catchThrowableOfType(
        () -> sdk.service().blockingStub().withDeadlineAfter(30, TimeUnit.SECONDS).startWorkflowExecution(start),
        StatusRuntimeException.class);

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getStatus().getDescription()).startsWith("grpc: received message larger than max (")
        .endsWith(" vs. 4194304)");
  }

  @Test
  void aWorkflowTaskCompletionOverTheLimitTerminatesTheRun() {
    WorkerFactory worker = sdk.startWorker(TASK_QUEUE, w -> {
      w.registerWorkflowImplementationTypes(SenderImpl.class);
      w.registerActivitiesImplementations((Echo) input -> input);
    });
    try {
      Sender sender = sdk.client().newWorkflowStub(Sender.class,
          WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("oversized-command").build());

      // The activity's input makes the completion that schedules it too large for the server.
      WorkflowFailedException failed = catchThrowableOfType(() -> sender.send(OVERSIZED_BYTES), WorkflowFailedException.class);

      assertThat(failed.getCause()).isInstanceOf(TerminatedFailure.class);
      List<HistoryEvent> history = new HistoryProbe(sdk.client()).events("oversized-command");
      assertThat(history).filteredOn(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
          .singleElement()
          .satisfies(event -> assertThat(event.getWorkflowTaskFailedEventAttributes().getCause())
              .isEqualTo(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND));
      assertThat(history).filteredOn(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).isEmpty();
      assertThat(history.get(history.size() - 1).getWorkflowExecutionTerminatedEventAttributes().getReason())
          .isEqualTo("WORKFLOW_TASK_FAILED_CAUSE_GRPC_MESSAGE_TOO_LARGE");
    } finally {
      SdkEnvironment.shutdown(worker);
    }
  }
}
