package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.SdkEnvironment;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eager activity execution: an activity the completing worker asked for is started in the same
 * transaction as its scheduled event and handed back in the RespondWorkflowTaskCompleted answer.
 */
@Timeout(60)
class EagerActivityIT {
  private static final String TASK_QUEUE = "eager";

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @ActivityInterface
  public interface Echo {
    String echo(String value);
  }

  public static class EchoImpl implements Echo {
    @Override
    public String echo(String value) {
      return value;
    }
  }

  @WorkflowInterface
  public interface EchoWorkflow {
    @WorkflowMethod
    String run(String value);
  }

  public static class EchoWorkflowImpl implements EchoWorkflow {
    @Override
    public String run(String value) {
      return Workflow.newActivityStub(Echo.class, ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build())
          .echo(value);
    }
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  @Test
  void activityRequestedEagerlyStartsWithoutATaskQueueRoundTrip() {
    List<HistoryEvent> history = runEchoWorkflow(WorkerOptions.getDefaultInstance());
    HistoryEvent scheduled = event(history, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    HistoryEvent started = event(history, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
    // Started in the transaction that scheduled it: the same server time.
    assertThat(started.getEventTime()).isEqualTo(scheduled.getEventTime());
  }

  @Test
  void activityGoesThroughTheTaskQueueWhenTheWorkerDisablesEagerExecution() {
    List<HistoryEvent> history = runEchoWorkflow(WorkerOptions.newBuilder().setDisableEagerExecution(true).build());
    assertThat(event(history, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED).getActivityTaskCompletedEventAttributes().getResult()
        .getPayloads(0).getData().toStringUtf8()).isEqualTo("\"hello\"");
  }

  private List<HistoryEvent> runEchoWorkflow(WorkerOptions options) {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, options, worker -> {
      worker.registerWorkflowImplementationTypes(EchoWorkflowImpl.class);
      worker.registerActivitiesImplementations(new EchoImpl());
    });
    EchoWorkflow workflow = sdk.client().newWorkflowStub(EchoWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("echo").build());
    assertThat(workflow.run("hello")).isEqualTo("hello");
    return sdk.client().fetchHistory("echo").getEvents();
  }

  private static HistoryEvent event(List<HistoryEvent> history, EventType type) {
    return history.stream().filter(event -> event.getEventType() == type).findFirst().orElseThrow();
  }
}
