package dev.hourglass.tests;

import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.RunChain;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.CompleteWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.ContinueAsNewWorkflowExecutionCommandAttributes;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.ContinueAsNewInitiator;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowQueryRejectedException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side workflow policy, driven by the SDK: the workflow retry policy, cron workflows, start
 * delay, continue-as-new with a backoff, and the workflow id policies that terminate a running run.
 */
@Timeout(120)
class WorkflowRetryCronIT {
  private static final String TASK_QUEUE = "retry-cron";
  private static final long RESULT_TIMEOUT_SECONDS = 30;

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;
  private RunChain runs;

  @WorkflowInterface
  public interface FlakyWorkflow {
    /** Fails (ApplicationFailure of type {@code failureType}) on every attempt before {@code succeedOnAttempt}. */
    @WorkflowMethod
    String run(int succeedOnAttempt, String failureType);
  }

  public static class FlakyWorkflowImpl implements FlakyWorkflow {
    @Override
    public String run(int succeedOnAttempt, String failureType) {
      int attempt = Workflow.getInfo().getAttempt();
      if (failureType.equals("non-retryable")) {
        throw ApplicationFailure.newNonRetryableFailure("attempt " + attempt + " failed for good", "Fatal");
      }
      if (attempt < succeedOnAttempt) {
        throw ApplicationFailure.newFailure("attempt " + attempt + " failed", failureType);
      }
      return "done on attempt " + attempt;
    }
  }

  @WorkflowInterface
  public interface ParentOfFlakyChild {
    @WorkflowMethod
    String run();
  }

  public static class ParentOfFlakyChildImpl implements ParentOfFlakyChild {
    @Override
    public String run() {
      FlakyWorkflow child = Workflow.newChildWorkflowStub(FlakyWorkflow.class, ChildWorkflowOptions.newBuilder()
          .setWorkflowId(Workflow.getInfo().getWorkflowId() + "-child")
          .setRetryOptions(fastRetries().setMaximumAttempts(5).build())
          .build());
      return "child says " + child.run(3, "Flaky");
    }
  }

  @WorkflowInterface
  public interface SlowFirstAttemptWorkflow {
    @WorkflowMethod
    String run();
  }

  public static class SlowFirstAttemptWorkflowImpl implements SlowFirstAttemptWorkflow {
    @Override
    public String run() {
      if (Workflow.getInfo().getAttempt() == 1) {
        Workflow.sleep(Duration.ofMinutes(10));
      }
      return "attempt " + Workflow.getInfo().getAttempt() + " in time";
    }
  }

  @WorkflowInterface
  public interface CountingCronWorkflow {
    /** Returns how many runs completed so far, the previous run's result + 1; the first run fails if asked to. */
    @WorkflowMethod
    String run(boolean failFirstRun);
  }

  public static class CountingCronWorkflowImpl implements CountingCronWorkflow {
    @Override
    public String run(boolean failFirstRun) {
      String previous = Workflow.getLastCompletionResult(String.class);
      Optional<Exception> previousFailure = Workflow.getPreviousRunFailure();
      if (failFirstRun && previous == null && previousFailure.isEmpty()) {
        throw ApplicationFailure.newFailure("first run fails", "CronRunFailed");
      }
      int count = previous == null ? 1 : Integer.parseInt(previous.split(" ")[0]) + 1;
      return count + (previousFailure.isPresent() ? " after a failure" : " runs");
    }
  }

  @WorkflowInterface
  public interface GreetingWorkflow {
    @WorkflowMethod
    String greet();

    @SignalMethod
    void name(String name);

    @QueryMethod
    List<String> names();
  }

  public static class GreetingWorkflowImpl implements GreetingWorkflow {
    private final List<String> names = new ArrayList<>();

    @Override
    public String greet() {
      Workflow.await(Duration.ofSeconds(30), () -> !names.isEmpty());
      return "hello " + String.join(", ", names);
    }

    @Override
    public void name(String name) {
      names.add(name);
    }

    @Override
    public List<String> names() {
      return names;
    }
  }

  @WorkflowInterface
  public interface PausingWorkflow {
    /** Continues as new once with a backoff, then returns. */
    @WorkflowMethod
    String run(int generation);
  }

  public static class PausingWorkflowImpl implements PausingWorkflow {
    @Override
    public String run(int generation) {
      if (generation == 0) {
        Workflow.continueAsNew(ContinueAsNewOptions.newBuilder().setBackoffStartInterval(Duration.ofSeconds(1)).build(), 1);
      }
      return "generation " + generation;
    }
  }

  @WorkflowInterface
  public interface NapWorkflow {
    @WorkflowMethod
    String nap(long millis);
  }

  public static class NapWorkflowImpl implements NapWorkflow {
    @Override
    public String nap(long millis) {
      Workflow.sleep(Duration.ofMillis(millis));
      return "rested " + millis;
    }
  }

  @BeforeEach
  void startServerAndWorker() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    runs = new RunChain(sdk.client());
    sdk.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(FlakyWorkflowImpl.class,
        SlowFirstAttemptWorkflowImpl.class, CountingCronWorkflowImpl.class, GreetingWorkflowImpl.class, PausingWorkflowImpl.class,
        NapWorkflowImpl.class, ParentOfFlakyChildImpl.class));
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

  private static WorkflowOptions.Builder options(String workflowId) {
    return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId);
  }

  private static RetryOptions.Builder fastRetries() {
    return RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(200)).setBackoffCoefficient(2.0);
  }

  private static HistoryEvent last(List<HistoryEvent> events) {
    return events.get(events.size() - 1);
  }

  private static WorkflowExecutionStartedEventAttributes started(List<HistoryEvent> events) {
    return events.get(0).getWorkflowExecutionStartedEventAttributes();
  }

  // ---- retry policy ----

  @Test
  void failedRunIsRetriedInANewRunAndGetResultFollowsTheChainToTheOutcome() throws Exception {
    FlakyWorkflow workflow = sdk.client().newWorkflowStub(FlakyWorkflow.class,
        options("flaky").setRetryOptions(fastRetries().setMaximumAttempts(5).build()).build());
    WorkflowExecution first = WorkflowClient.start(workflow::run, 3, "Flaky");

    String result = WorkflowStub.fromTyped(workflow).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class);

    assertThat(result).isEqualTo("done on attempt 3");
    List<String> chain = runs.runIds("flaky", first.getRunId());
    assertThat(chain).hasSize(3).doesNotHaveDuplicates();
    List<HistoryEvent> firstRun = runs.events("flaky", chain.get(0));
    HistoryEvent failed = last(firstRun);
    assertThat(failed.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
    assertThat(failed.getWorkflowExecutionFailedEventAttributes().getRetryState()).isEqualTo(RetryState.RETRY_STATE_IN_PROGRESS);
    assertThat(failed.getWorkflowExecutionFailedEventAttributes().getNewExecutionRunId()).isEqualTo(chain.get(1));

    WorkflowExecutionStartedEventAttributes third = started(runs.events("flaky", chain.get(2)));
    assertThat(third.getAttempt()).isEqualTo(3);
    assertThat(third.getInitiator()).isEqualTo(ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY);
    assertThat(third.getContinuedExecutionRunId()).isEqualTo(chain.get(1));
    assertThat(third.getFirstExecutionRunId()).isEqualTo(first.getRunId());
    assertThat(third.getOriginalExecutionRunId()).isEqualTo(chain.get(2));
    // Second retry: initial interval × coefficient.
    assertThat(Durations.toMillis(third.getFirstWorkflowTaskBackoff())).isEqualTo(400);
    assertThat(third.getContinuedFailure().getMessage()).isEqualTo("attempt 2 failed");
    assertThat(third.getInput()).isEqualTo(started(firstRun).getInput());
    assertThat(sdk.client().newUntypedWorkflowStub("flaky").describe().getExecution().getRunId()).isEqualTo(chain.get(2));
  }

  @Test
  void aChildsRetriesKeepItsParentAndOnlyTheLastRunReportsToIt() throws Exception {
    ParentOfFlakyChild parent = sdk.client().newWorkflowStub(ParentOfFlakyChild.class, options("parent").build());

    String result = parent.run();

    assertThat(result).isEqualTo("child says done on attempt 3");
    List<HistoryEvent> parentEvents = new HistoryProbe(sdk.client()).events("parent");
    assertThat(HistoryProbe.count(parentEvents, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)).isEqualTo(1);
    assertThat(HistoryProbe.count(parentEvents, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED)).isZero();
    String firstChildRun = parentEvents.stream().filter(HistoryEvent::hasChildWorkflowExecutionStartedEventAttributes).findFirst()
        .orElseThrow().getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution().getRunId();
    List<String> chain = runs.runIds("parent-child", firstChildRun);
    assertThat(chain).hasSize(3);
    for (String run : chain) {
      WorkflowExecutionStartedEventAttributes child = started(runs.events("parent-child", run));
      assertThat(child.getParentWorkflowExecution().getWorkflowId()).as("parent of child run %s", run).isEqualTo("parent");
      assertThat(child.getRootWorkflowExecution().getWorkflowId()).as("root of child run %s", run).isEqualTo("parent");
    }
    // The child's retry policy got Temporal's defaults at its start, as a client's start does.
    assertThat(Durations.toMillis(started(runs.events("parent-child", chain.get(0))).getRetryPolicy().getMaximumInterval()))
        .isEqualTo(20_000);
  }

  @Test
  void retriesStopAtMaximumAttempts() throws Exception {
    FlakyWorkflow workflow = sdk.client().newWorkflowStub(FlakyWorkflow.class,
        options("hopeless").setRetryOptions(fastRetries().setMaximumAttempts(3).build()).build());
    WorkflowExecution first = WorkflowClient.start(workflow::run, 100, "Flaky");

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(workflow).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class));

    assertThat(failed).isNotNull();
    assertThat(failed.getRetryState()).isEqualTo(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
    assertThat(((ApplicationFailure) failed.getCause()).getOriginalMessage()).isEqualTo("attempt 3 failed");
    assertThat(runs.runIds("hopeless", first.getRunId())).hasSize(3);
  }

  @Test
  void nonRetryableFailuresEndTheChainAtOnce() throws Exception {
    FlakyWorkflow flaggedNonRetryable = sdk.client().newWorkflowStub(FlakyWorkflow.class,
        options("fatal").setRetryOptions(fastRetries().build()).build());
    WorkflowExecution fatal = WorkflowClient.start(flaggedNonRetryable::run, 2, "non-retryable");
    FlakyWorkflow typeListed = sdk.client().newWorkflowStub(FlakyWorkflow.class,
        options("listed").setRetryOptions(fastRetries().setDoNotRetry("Boom").build()).build());
    WorkflowExecution listed = WorkflowClient.start(typeListed::run, 2, "Boom");

    for (WorkflowStub stub : List.of(WorkflowStub.fromTyped(flaggedNonRetryable), WorkflowStub.fromTyped(typeListed))) {
      WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
          () -> stub.getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class));
      assertThat(failed).isNotNull();
      assertThat(failed.getRetryState()).isEqualTo(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
    }
    assertThat(runs.runIds("fatal", fatal.getRunId())).hasSize(1);
    assertThat(runs.runIds("listed", listed.getRunId())).hasSize(1);
  }

  @Test
  void failureWithoutRetryPolicyIsNotRetried() throws Exception {
    FlakyWorkflow workflow = sdk.client().newWorkflowStub(FlakyWorkflow.class, options("no-policy").build());
    WorkflowExecution first = WorkflowClient.start(workflow::run, 2, "Flaky");

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(workflow).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class));

    assertThat(failed.getRetryState()).isEqualTo(RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET);
    assertThat(runs.runIds("no-policy", first.getRunId())).hasSize(1);
  }

  @Test
  void runTimeoutIsRetriedWithTheTimeoutAsContinuedFailure() throws Exception {
    SlowFirstAttemptWorkflow workflow = sdk.client().newWorkflowStub(SlowFirstAttemptWorkflow.class,
        options("slow").setWorkflowRunTimeout(Duration.ofSeconds(1)).setRetryOptions(fastRetries().setMaximumAttempts(2).build()).build());
    WorkflowExecution first = WorkflowClient.start(workflow::run);

    String result = WorkflowStub.fromTyped(workflow).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class);

    assertThat(result).isEqualTo("attempt 2 in time");
    List<String> chain = runs.runIds("slow", first.getRunId());
    assertThat(chain).hasSize(2);
    HistoryEvent timedOut = last(runs.events("slow", chain.get(0)));
    assertThat(timedOut.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT);
    assertThat(timedOut.getWorkflowExecutionTimedOutEventAttributes().getRetryState()).isEqualTo(RetryState.RETRY_STATE_IN_PROGRESS);
    assertThat(started(runs.events("slow", chain.get(1))).getContinuedFailure().hasTimeoutFailureInfo()).isTrue();
  }

  @Test
  void workflowExecutionTimeoutBoundsTheRetries() throws Exception {
    FlakyWorkflow workflow = sdk.client().newWorkflowStub(FlakyWorkflow.class, options("bounded")
        .setWorkflowExecutionTimeout(Duration.ofSeconds(3))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(1.0).build())
        .build());
    WorkflowExecution first = WorkflowClient.start(workflow::run, 100, "Flaky");

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(workflow).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class));

    assertThat(failed.getRetryState()).isEqualTo(RetryState.RETRY_STATE_TIMEOUT);
    List<String> chain = runs.runIds("bounded", first.getRunId());
    assertThat(chain).hasSizeBetween(2, 4);
    HistoryEvent firstStarted = runs.events("bounded", chain.get(0)).get(0);
    HistoryEvent lastStarted = runs.events("bounded", chain.get(chain.size() - 1)).get(0);
    // The chain shares one deadline: the first run's start + the execution timeout.
    assertThat(started(List.of(lastStarted)).getWorkflowExecutionExpirationTime())
        .isEqualTo(started(List.of(firstStarted)).getWorkflowExecutionExpirationTime());
    assertThat(Timestamps.toMillis(started(List.of(firstStarted)).getWorkflowExecutionExpirationTime()))
        .isEqualTo(Timestamps.toMillis(firstStarted.getEventTime()) + 3_000);
  }

  @Test
  void terminatedRunIsNeverRetried() throws Exception {
    NapWorkflow workflow = sdk.client().newWorkflowStub(NapWorkflow.class,
        options("terminated").setRetryOptions(fastRetries().build()).build());
    WorkflowExecution first = WorkflowClient.start(workflow::nap, 60_000L);
    new HistoryProbe(sdk.client()).awaitEvent("terminated", EventType.EVENT_TYPE_TIMER_STARTED, Duration.ofSeconds(10));

    WorkflowStub.fromTyped(workflow).terminate("enough");

    assertThat(runs.runIds("terminated", first.getRunId())).containsExactly(first.getRunId());
    assertThat(sdk.client().newUntypedWorkflowStub("terminated").describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
  }

  @Test
  void retryPolicyDefaultsAreFilledInAndBadPoliciesRejected() throws Exception {
    FlakyWorkflow workflow = sdk.client().newWorkflowStub(FlakyWorkflow.class,
        options("defaults").setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
    WorkflowClient.start(workflow::run, 1, "Flaky");

    RetryPolicy policy = started(new HistoryProbe(sdk.client()).events("defaults")).getRetryPolicy();
    assertThat(Durations.toMillis(policy.getInitialInterval())).isEqualTo(1_000);
    assertThat(policy.getBackoffCoefficient()).isEqualTo(2.0);
    assertThat(Durations.toMillis(policy.getMaximumInterval())).isEqualTo(100_000);

    StatusRuntimeException rejected = catchThrowableOfType(StatusRuntimeException.class,
        () -> sdk.service().blockingStub().startWorkflowExecution(rawStart("bad-policy")
            .setRetryPolicy(RetryPolicy.newBuilder().setBackoffCoefficient(0.5)).build()));
    assertThat(rejected.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(rejected.getStatus().getDescription()).contains("BackoffCoefficient cannot be less than 1");
  }

  private static StartWorkflowExecutionRequest.Builder rawStart(String workflowId) {
    return StartWorkflowExecutionRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE)
        .setWorkflowId(workflowId)
        .setRequestId(UUID.randomUUID().toString())
        .setWorkflowType(WorkflowType.newBuilder().setName("NapWorkflow"))
        .setTaskQueue(TaskQueue.newBuilder().setName(TASK_QUEUE));
  }

  // ---- cron ----

  @Test
  void cronWorkflowWaitsForItsFirstCronTime() throws Exception {
    WorkflowStub workflow = sdk.client().newUntypedWorkflowStub("CountingCronWorkflow",
        options("every-minute").setCronSchedule("* * * * *").build());
    workflow.start(false);

    List<HistoryEvent> events = new HistoryProbe(sdk.client()).events("every-minute");
    HistoryEvent startedEvent = events.get(0);
    long startMillis = Timestamps.toMillis(startedEvent.getEventTime());
    long firstTaskMillis = startMillis + Durations.toMillis(started(events).getFirstWorkflowTaskBackoff());
    assertThat(events).extracting(HistoryEvent::getEventType).containsExactly(EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    assertThat(started(events).getInitiator()).isEqualTo(ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE);
    // The backoff is in whole seconds (as Temporal computes it): the task comes within a second after the minute.
    assertThat(firstTaskMillis % 60_000).as("first workflow task just after a whole minute").isLessThan(1_000);
    assertThat(firstTaskMillis - startMillis).isBetween(1L, 61_000L);
    assertThat(workflow.describe().getExecutionTime().toEpochMilli()).isEqualTo(firstTaskMillis);
  }

  @Test
  void cronRunsFollowTheScheduleCarryingTheLastResultUntilTerminated() throws Exception {
    WorkflowStub workflow = sdk.client().newUntypedWorkflowStub("CountingCronWorkflow",
        options("counting").setCronSchedule("@every 1s").build());
    WorkflowExecution first = workflow.start(false);

    await("three cron runs").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> runs.runIds("counting", first.getRunId()).size() >= 3);
    sdk.client().newUntypedWorkflowStub("counting").terminate("cron no longer needed");

    List<String> chain = runs.runIds("counting", first.getRunId());
    List<HistoryEvent> secondRun = runs.events("counting", chain.get(1));
    HistoryEvent firstClose = last(runs.events("counting", chain.get(0)));
    assertThat(firstClose.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    assertThat(firstClose.getWorkflowExecutionCompletedEventAttributes().getNewExecutionRunId()).isEqualTo(chain.get(1));
    assertThat(started(secondRun).getInitiator()).isEqualTo(ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE);
    assertThat(started(secondRun).getLastCompletionResult())
        .isEqualTo(firstClose.getWorkflowExecutionCompletedEventAttributes().getResult());
    assertThat(started(secondRun).getCronSchedule()).isEqualTo("@every 1s");
    assertThat(Durations.toMillis(started(secondRun).getFirstWorkflowTaskBackoff())).isBetween(1L, 1_000L);
    HistoryEvent lastClose = last(runs.events("counting", chain.get(chain.size() - 1)));
    assertThat(lastClose.getEventType()).as("the run the termination hit").isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
    assertThat(sdk.client().newUntypedWorkflowStub("counting").describe().getExecution().getRunId()).isEqualTo(chain.get(chain.size() - 1));
  }

  @Test
  void aFailedCronRunDoesNotStopTheSchedule() throws Exception {
    WorkflowStub workflow = sdk.client().newUntypedWorkflowStub("CountingCronWorkflow",
        options("failing-cron").setCronSchedule("@every 1s").build());
    WorkflowExecution first = workflow.start(true);

    await("a run after the failed one").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> runs.runIds("failing-cron", first.getRunId()).size() >= 3);
    sdk.client().newUntypedWorkflowStub("failing-cron").terminate("done");

    List<String> chain = runs.runIds("failing-cron", first.getRunId());
    HistoryEvent failed = last(runs.events("failing-cron", chain.get(0)));
    assertThat(failed.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
    assertThat(failed.getWorkflowExecutionFailedEventAttributes().getRetryState()).isEqualTo(RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET);
    assertThat(failed.getWorkflowExecutionFailedEventAttributes().getNewExecutionRunId()).isEqualTo(chain.get(1));
    WorkflowExecutionStartedEventAttributes second = started(runs.events("failing-cron", chain.get(1)));
    assertThat(second.getContinuedFailure().getMessage()).isEqualTo("first run fails");
    assertThat(second.getAttempt()).isEqualTo(1);
    HistoryEvent secondClose = last(runs.events("failing-cron", chain.get(1)));
    assertThat(secondClose.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }

  @Test
  void malformedCronAndCronWithStartDelayAreRejected() throws Exception {
    WorkflowStub malformed = sdk.client().newUntypedWorkflowStub("CountingCronWorkflow",
        options("bad-cron").setCronSchedule("every morning").build());
    WorkflowServiceException rejected = catchThrowableOfType(WorkflowServiceException.class, () -> malformed.start(false));
    StatusRuntimeException status = (StatusRuntimeException) rejected.getCause();
    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getStatus().getDescription()).contains("Invalid CronSchedule \"every morning\"");

    WorkflowStub delayed = sdk.client().newUntypedWorkflowStub("CountingCronWorkflow",
        options("cron-delay").setCronSchedule("@hourly").setStartDelay(Duration.ofSeconds(5)).build());
    rejected = catchThrowableOfType(WorkflowServiceException.class, () -> delayed.start(false));
    status = (StatusRuntimeException) rejected.getCause();
    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getStatus().getDescription()).isEqualTo("CronSchedule and WorkflowStartDelay may not be used together.");
  }

  // ---- start delay ----

  @Test
  void startDelayHoldsTheFirstWorkflowTaskWhileSignalsAreRecorded() throws Exception {
    GreetingWorkflow workflow = sdk.client().newWorkflowStub(GreetingWorkflow.class,
        options("delayed").setStartDelay(Duration.ofSeconds(2)).build());
    WorkflowClient.start(workflow::greet);
    workflow.name("ada");

    String result = WorkflowStub.fromTyped(workflow).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class);

    assertThat(result).isEqualTo("hello ada");
    assertDelayedFirstWorkflowTask(new HistoryProbe(sdk.client()).events("delayed"), 2_000);
  }

  @Test
  void signalWithStartAndADelayRecordsTheSignalAndWaits() throws Exception {
    WorkflowStub workflow = sdk.client().newUntypedWorkflowStub("GreetingWorkflow",
        options("delayed-signal").setStartDelay(Duration.ofSeconds(2)).build());
    workflow.signalWithStart("name", new Object[] {"grace"}, new Object[0]);

    assertThat(workflow.getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class)).isEqualTo("hello grace");
    assertDelayedFirstWorkflowTask(new HistoryProbe(sdk.client()).events("delayed-signal"), 2_000);
  }

  @Test
  void queryOfADelayedWorkflowIsAnsweredOnceItsFirstWorkflowTaskRan() throws Exception {
    GreetingWorkflow workflow = sdk.client().newWorkflowStub(GreetingWorkflow.class,
        options("queried-early").setStartDelay(Duration.ofSeconds(2)).build());
    WorkflowClient.start(workflow::greet);
    long startNanos = System.nanoTime();

    List<String> names = workflow.names();

    assertThat(names).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isGreaterThan(Duration.ofMillis(1_500));
    workflow.name("alan");
    assertThat(WorkflowStub.fromTyped(workflow).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class)).isEqualTo("hello alan");
  }

  @Test
  void queryOfAWorkflowWaitingLongerThanTheQueryDeadlineFailsAtOnce() throws Exception {
    GreetingWorkflow workflow = sdk.client().newWorkflowStub(GreetingWorkflow.class,
        options("queried-too-early").setStartDelay(Duration.ofHours(1)).build());
    WorkflowClient.start(workflow::greet);
    long startNanos = System.nanoTime();

    WorkflowQueryRejectedException rejected = catchThrowableOfType(WorkflowQueryRejectedException.class, workflow::names);

    assertThat(rejected).isNotNull();
    assertThat(rejected).rootCause().hasMessageContaining("FAILED_PRECONDITION: Workflow task is not scheduled yet");
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(5));
  }

  /** Started (with the backoff), the signal, and only then — after the delay — the first workflow task. */
  private static void assertDelayedFirstWorkflowTask(List<HistoryEvent> events, long delayMillis) {
    assertThat(events).extracting(HistoryEvent::getEventType).startsWith(EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
        EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    assertThat(Durations.toMillis(started(events).getFirstWorkflowTaskBackoff())).isEqualTo(delayMillis);
    long startMillis = Timestamps.toMillis(events.get(0).getEventTime());
    assertThat(Timestamps.toMillis(events.get(2).getEventTime()) - startMillis).isGreaterThanOrEqualTo(delayMillis);
  }

  // ---- continue-as-new with a backoff ----

  @Test
  void continueAsNewWithABackoffDelaysTheNextRunsFirstWorkflowTask() throws Exception {
    PausingWorkflow workflow = sdk.client().newWorkflowStub(PausingWorkflow.class, options("pausing").build());
    WorkflowExecution first = WorkflowClient.start(workflow::run, 0);

    assertThat(WorkflowStub.fromTyped(workflow).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class)).isEqualTo("generation 1");
    List<String> chain = runs.runIds("pausing", first.getRunId());
    assertThat(chain).hasSize(2);
    List<HistoryEvent> second = runs.events("pausing", chain.get(1));
    assertThat(Durations.toMillis(started(second).getFirstWorkflowTaskBackoff())).isEqualTo(1_000);
    assertThat(Timestamps.toMillis(second.get(1).getEventTime()) - Timestamps.toMillis(second.get(0).getEventTime()))
        .isGreaterThanOrEqualTo(1_000);
  }

  @Test
  void continueAsNewWithACronScheduleMakesTheNewRunACronWorkflow() throws Exception {
    // The SDKs never put a cron schedule on continue-as-new: drive the commands over the raw API.
    String queue = "raw-continue-as-new";
    var service = sdk.service().blockingStub();
    String firstRunId = service.startWorkflowExecution(rawStart("raw-cron").setTaskQueue(TaskQueue.newBuilder().setName(queue)).build())
        .getRunId();
    PollWorkflowTaskQueueResponse firstTask = pollWorkflowTask(queue);
    service.respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE)
        .setTaskToken(firstTask.getTaskToken())
        .addCommands(Command.newBuilder()
            .setCommandType(CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION)
            .setContinueAsNewWorkflowExecutionCommandAttributes(ContinueAsNewWorkflowExecutionCommandAttributes.newBuilder()
                .setCronSchedule("@every 1s")
                .setBackoffStartInterval(com.google.protobuf.Duration.newBuilder().setSeconds(1))))
        .build());

    PollWorkflowTaskQueueResponse secondTask = pollWorkflowTask(queue);
    WorkflowExecutionStartedEventAttributes second = secondTask.getHistory().getEvents(0).getWorkflowExecutionStartedEventAttributes();
    assertThat(second.getCronSchedule()).isEqualTo("@every 1s");
    assertThat(second.getContinuedExecutionRunId()).isEqualTo(firstRunId);
    assertThat(Durations.toMillis(second.getFirstWorkflowTaskBackoff())).isEqualTo(1_000);
    service.respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE)
        .setTaskToken(secondTask.getTaskToken())
        .addCommands(Command.newBuilder()
            .setCommandType(CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION)
            .setCompleteWorkflowExecutionCommandAttributes(CompleteWorkflowExecutionCommandAttributes.getDefaultInstance()))
        .build());

    PollWorkflowTaskQueueResponse thirdTask = pollWorkflowTask(queue);
    WorkflowExecutionStartedEventAttributes third = thirdTask.getHistory().getEvents(0).getWorkflowExecutionStartedEventAttributes();
    assertThat(third.getInitiator()).isEqualTo(ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE);
    assertThat(third.getContinuedExecutionRunId()).isEqualTo(secondTask.getWorkflowExecution().getRunId());
    assertThat(third.getFirstExecutionRunId()).isEqualTo(firstRunId);
    sdk.client().newUntypedWorkflowStub("raw-cron").terminate("test over");
  }

  private PollWorkflowTaskQueueResponse pollWorkflowTask(String queue) {
    return sdk.service().blockingStub().withDeadlineAfter(30, TimeUnit.SECONDS).pollWorkflowTaskQueue(
        PollWorkflowTaskQueueRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE)
            .setTaskQueue(TaskQueue.newBuilder().setName(queue))
            .setIdentity("raw-worker")
            .build());
  }

  // ---- workflow id policies that terminate the running run ----

  @Test
  void terminateIfRunningReplacesTheRunningRunAtomically() throws Exception {
    NapWorkflow firstStub = sdk.client().newWorkflowStub(NapWorkflow.class, options("replaced").build());
    WorkflowExecution first = WorkflowClient.start(firstStub::nap, 60_000L);
    new HistoryProbe(sdk.client()).awaitEvent(first.getWorkflowId(), EventType.EVENT_TYPE_TIMER_STARTED, Duration.ofSeconds(10));

    NapWorkflow secondStub = sdk.client().newWorkflowStub(NapWorkflow.class, options("replaced")
        .setWorkflowIdReusePolicy(io.temporal.api.enums.v1.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING).build());
    WorkflowExecution second = WorkflowClient.start(secondStub::nap, 10L);

    assertThat(second.getRunId()).isNotEqualTo(first.getRunId());
    assertThat(WorkflowStub.fromTyped(secondStub).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class)).isEqualTo("rested 10");
    HistoryEvent terminated = last(runs.events("replaced", first.getRunId()));
    assertThat(terminated.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
    assertThat(terminated.getWorkflowExecutionTerminatedEventAttributes().getReason()).isEqualTo("TerminateIfRunning WorkflowIdReusePolicy");
    assertThat(terminated.getWorkflowExecutionTerminatedEventAttributes().getDetails().getPayloads(0).getData().toStringUtf8())
        .isEqualTo("\"terminated by new runID: " + second.getRunId() + "\"");
  }

  @Test
  void terminateExistingConflictPolicyReplacesTheRunningRun() throws Exception {
    NapWorkflow firstStub = sdk.client().newWorkflowStub(NapWorkflow.class, options("conflict").build());
    WorkflowExecution first = WorkflowClient.start(firstStub::nap, 60_000L);
    new HistoryProbe(sdk.client()).awaitEvent(first.getWorkflowId(), EventType.EVENT_TYPE_TIMER_STARTED, Duration.ofSeconds(10));

    NapWorkflow secondStub = sdk.client().newWorkflowStub(NapWorkflow.class, options("conflict")
        .setWorkflowIdConflictPolicy(io.temporal.api.enums.v1.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING).build());
    WorkflowExecution second = WorkflowClient.start(secondStub::nap, 10L);

    assertThat(WorkflowStub.fromTyped(secondStub).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class)).isEqualTo("rested 10");
    assertThat(last(runs.events("conflict", first.getRunId())).getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
    // The replacing run is a chain of its own, not the terminated run's continuation.
    assertThat(started(runs.events("conflict", second.getRunId())).getFirstExecutionRunId()).isEqualTo(second.getRunId());
    assertThat(runs.runIds("conflict", first.getRunId())).containsExactly(first.getRunId());
  }

  @Test
  void terminateIfRunningWithAConflictPolicyIsRejected() throws Exception {
    StatusRuntimeException rejected = catchThrowableOfType(StatusRuntimeException.class,
        () -> sdk.service().blockingStub().startWorkflowExecution(rawStart("both-policies")
            .setWorkflowIdReusePolicy(io.temporal.api.enums.v1.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING)
            .setWorkflowIdConflictPolicy(io.temporal.api.enums.v1.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL).build()));

    assertThat(rejected.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(rejected.getStatus().getDescription()).contains("cannot be used together with a WorkflowIDConflictPolicy");
  }

  @Test
  void sdkLogsOnlyTheWorkflowFailuresItLogsAgainstTemporalToo() throws Exception {
    FlakyWorkflow workflow = sdk.client().newWorkflowStub(FlakyWorkflow.class,
        options("quiet").setRetryOptions(fastRetries().setMaximumAttempts(3).build()).build());
    WorkflowClient.start(workflow::run, 2, "Flaky");
    assertThat(WorkflowStub.fromTyped(workflow).getResult(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS, String.class)).isEqualTo("done on attempt 2");
    WorkflowStub cron = sdk.client().newUntypedWorkflowStub("CountingCronWorkflow", options("quiet-cron").setCronSchedule("@every 1s").build());
    WorkflowExecution first = cron.start(false);
    await("two cron runs").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> runs.runIds("quiet-cron", first.getRunId()).size() >= 2);
    sdk.client().newUntypedWorkflowStub("quiet-cron").terminate("done");

    // The SDK warns of every failed workflow run, against Temporal as well.
    assertThat(sdkLogs.eventsExcept(event -> event.message().startsWith("Workflow execution failure"))).isEmpty();
  }
}
