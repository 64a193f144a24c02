package dev.hourglass.tests;

import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The basic life of a workflow, driven by the real SDK: activities, timers, failure, results, history. */
@Timeout(60)
class WorkflowLifecycleIT {
  private static final String TASK_QUEUE = "lifecycle";
  private static final long RESULT_TIMEOUT_SECONDS = 15;

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface GreetingWorkflow {
    @WorkflowMethod
    String greet(String name);
  }

  @WorkflowInterface
  public interface SleepingWorkflow {
    @WorkflowMethod
    String sleepThenAnswer(long sleepMillis);
  }

  @WorkflowInterface
  public interface FanOutWorkflow {
    @WorkflowMethod
    String greetAll(List<String> names);
  }

  @WorkflowInterface
  public interface RejectingWorkflow {
    @WorkflowMethod
    String reject(String reason);
  }

  @ActivityInterface
  public interface GreetingActivities {
    String compose(String name);
  }

  public static class GreetingActivitiesImpl implements GreetingActivities {
    @Override
    public String compose(String name) {
      return "Hello, " + name + "!";
    }
  }

  private static GreetingActivities greetingActivities() {
    return Workflow.newActivityStub(
        GreetingActivities.class, ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());
  }

  public static class GreetingWorkflowImpl implements GreetingWorkflow {
    @Override
    public String greet(String name) {
      return greetingActivities().compose(name);
    }
  }

  public static class SleepingWorkflowImpl implements SleepingWorkflow {
    @Override
    public String sleepThenAnswer(long sleepMillis) {
      Workflow.sleep(Duration.ofMillis(sleepMillis));
      return "awake";
    }
  }

  public static class FanOutWorkflowImpl implements FanOutWorkflow {
    @Override
    public String greetAll(List<String> names) {
      GreetingActivities activities = greetingActivities();
      List<Promise<String>> greetings = new ArrayList<>();
      for (String name : names) {
        greetings.add(Async.function(activities::compose, name));
      }
      Promise.allOf(greetings).get();
      return greetings.stream().map(Promise::get).collect(Collectors.joining(" "));
    }
  }

  public static class RejectingWorkflowImpl implements RejectingWorkflow {
    @Override
    public String reject(String reason) {
      throw ApplicationFailure.newFailure(reason, "OrderRejected");
    }
  }

  @BeforeEach
  void startServerAndWorker() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(
          GreetingWorkflowImpl.class, SleepingWorkflowImpl.class, FanOutWorkflowImpl.class, RejectingWorkflowImpl.class);
      worker.registerActivitiesImplementations(new GreetingActivitiesImpl());
    });
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

  private WorkflowOptions options(String workflowId) {
    return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build();
  }

  @Test
  void workflowReturnsTheResultOfItsActivity() throws Exception {
    GreetingWorkflow workflow = sdk.client().newWorkflowStub(GreetingWorkflow.class, options("greet-ada"));

    String result = WorkflowClient.execute(workflow::greet, "Ada").get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    assertThat(result).isEqualTo("Hello, Ada!");
  }

  @Test
  void workflowSleepCompletesNoEarlierThanTheTimer() throws Exception {
    SleepingWorkflow workflow = sdk.client().newWorkflowStub(SleepingWorkflow.class, options("sleep-1s"));
    long startNanos = System.nanoTime();

    String result = WorkflowClient.execute(workflow::sleepThenAnswer, 1_000L).get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    assertThat(result).isEqualTo("awake");
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void parallelActivitiesAllComplete() throws Exception {
    FanOutWorkflow workflow = sdk.client().newWorkflowStub(FanOutWorkflow.class, options("fan-out"));

    String result = WorkflowClient.execute(workflow::greetAll, List.of("a", "b", "c", "d", "e"))
        .get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    assertThat(result).isEqualTo("Hello, a! Hello, b! Hello, c! Hello, d! Hello, e!");
    assertThat(HistoryProbe.count(new HistoryProbe(sdk.client()).events("fan-out"), EVENT_TYPE_ACTIVITY_TASK_COMPLETED))
        .isEqualTo(5);
  }

  @Test
  void applicationFailureFailsTheWorkflowWithItsTypeAndMessage() {
    WorkflowStub workflow = sdk.client().newUntypedWorkflowStub("RejectingWorkflow", options("reject-order"));
    workflow.start("out of stock");

    WorkflowFailedException failed = catchThrowableOfType(
        WorkflowFailedException.class, () -> workflow.getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class));

    assertThat(failed).isNotNull();
    assertThat(failed.getCause()).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure cause = (ApplicationFailure) failed.getCause();
    assertThat(cause.getType()).isEqualTo("OrderRejected");
    assertThat(cause.getOriginalMessage()).isEqualTo("out of stock");
    assertThat(workflow.describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
  }

  @Test
  void secondClientGetsTheResultByWorkflowId() throws Exception {
    GreetingWorkflow workflow = sdk.client().newWorkflowStub(GreetingWorkflow.class, options("greet-grace"));
    WorkflowClient.start(workflow::greet, "Grace");

    try (SdkEnvironment otherApplication = SdkEnvironment.connect(server.target())) {
      WorkflowStub byId = otherApplication.client().newUntypedWorkflowStub("greet-grace");

      assertThat(byId.getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class)).isEqualTo("Hello, Grace!");
    }
  }

  @Test
  void describeShowsCompletedAfterTheResult() throws Exception {
    GreetingWorkflow workflow = sdk.client().newWorkflowStub(GreetingWorkflow.class, options("greet-linus"));
    WorkflowClient.execute(workflow::greet, "Linus").get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    var description = sdk.client().newUntypedWorkflowStub("greet-linus").describe();

    assertThat(description.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    assertThat(description.getWorkflowType()).isEqualTo("GreetingWorkflow");
    assertThat(description.getTaskQueue()).isEqualTo(TASK_QUEUE);
    assertThat(description.getCloseTime()).isNotNull();
  }

  @Test
  void oneActivityWorkflowHistoryHasTheEventsInTemporalsOrder() throws Exception {
    GreetingWorkflow workflow = sdk.client().newWorkflowStub(GreetingWorkflow.class, options("greet-barbara"));
    WorkflowClient.execute(workflow::greet, "Barbara").get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    List<HistoryEvent> events = new HistoryProbe(sdk.client()).events("greet-barbara");

    assertThat(events).extracting(HistoryEvent::getEventType).containsExactly(
        EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
        EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
        EVENT_TYPE_WORKFLOW_TASK_STARTED,
        EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
        EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
        EVENT_TYPE_ACTIVITY_TASK_STARTED,
        EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
        EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
        EVENT_TYPE_WORKFLOW_TASK_STARTED,
        EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
        EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    assertThat(events).extracting(HistoryEvent::getEventId)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().collect(Collectors.toList()));
  }

  @Test
  void sdkLogsNoWarningsOrErrorsForSuccessfulWorkflows() throws Exception {
    GreetingWorkflow greeting = sdk.client().newWorkflowStub(GreetingWorkflow.class, options("quiet-greet"));
    SleepingWorkflow sleeping = sdk.client().newWorkflowStub(SleepingWorkflow.class, options("quiet-sleep"));
    FanOutWorkflow fanOut = sdk.client().newWorkflowStub(FanOutWorkflow.class, options("quiet-fan-out"));
    var greeted = WorkflowClient.execute(greeting::greet, "Ken");
    var slept = WorkflowClient.execute(sleeping::sleepThenAnswer, 200L);
    var fannedOut = WorkflowClient.execute(fanOut::greetAll, List.of("x", "y", "z"));
    greeted.get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    slept.get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    fannedOut.get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    sdk.close(); // worker shutdown is part of what must stay quiet

    assertThat(sdkLogs.events()).isEmpty();
  }
}
