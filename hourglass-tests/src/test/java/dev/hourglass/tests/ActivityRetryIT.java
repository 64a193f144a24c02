package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.CapturedLogEvent;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Activity retries are the server's job: backoff, maximum attempts, non-retryable failures. */
@Timeout(60)
class ActivityRetryIT {
  private static final String TASK_QUEUE = "retries";
  private static final long RESULT_TIMEOUT_SECONDS = 20;
  /** Slack for the gap between two attempt starts measured on the worker's clock. */
  private static final Duration CLOCK_SLACK = Duration.ofMillis(50);

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;
  private final FlakyActivitiesImpl activities = new FlakyActivitiesImpl();

  /** How the activity behaves on each attempt. */
  public enum Behavior {
    FAIL_TWICE_THEN_SUCCEED,
    ALWAYS_FAIL,
    THROW_ILLEGAL_ARGUMENT,
    FAIL_NON_RETRYABLE
  }

  /**
   * The retry policy a workflow gives its one activity.
   *
   * @param maximumAttempts 0 = unlimited, per {@code RetryPolicy} in temporalio/api
   */
  public record RetryScenario(
      Behavior behavior, long initialIntervalMillis, double backoffCoefficient, int maximumAttempts, List<String> doNotRetry) {}

  public record AttemptRecord(int attempt, long startNanos) {}

  @WorkflowInterface
  public interface RetryingWorkflow {
    @WorkflowMethod
    String run(RetryScenario scenario);
  }

  @ActivityInterface
  public interface FlakyActivities {
    String attempt(Behavior behavior);
  }

  /** Records every attempt it sees; one instance per test, so no state is shared between tests. */
  public static class FlakyActivitiesImpl implements FlakyActivities {
    final ConcurrentLinkedQueue<AttemptRecord> attempts = new ConcurrentLinkedQueue<>();

    @Override
    public String attempt(Behavior behavior) {
      int attempt = Activity.getExecutionContext().getInfo().getAttempt();
      attempts.add(new AttemptRecord(attempt, System.nanoTime()));
      switch (behavior) {
        case FAIL_TWICE_THEN_SUCCEED:
          if (attempt < 3) {
            throw new IllegalStateException("attempt " + attempt + " failed");
          }
          return "succeeded on attempt " + attempt;
        case ALWAYS_FAIL:
          throw ApplicationFailure.newFailure("attempt " + attempt + " failed", "AlwaysFails");
        case THROW_ILLEGAL_ARGUMENT:
          throw new IllegalArgumentException("malformed order");
        case FAIL_NON_RETRYABLE:
          throw ApplicationFailure.newNonRetryableFailure("card expired", "CardExpired");
      }
      throw new IllegalArgumentException("unknown behavior " + behavior);
    }
  }

  public static class RetryingWorkflowImpl implements RetryingWorkflow {
    @Override
    public String run(RetryScenario scenario) {
      RetryOptions retry = RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(scenario.initialIntervalMillis()))
          .setBackoffCoefficient(scenario.backoffCoefficient())
          .setMaximumAttempts(scenario.maximumAttempts())
          .setDoNotRetry(scenario.doNotRetry().toArray(new String[0]))
          .build();
      FlakyActivities flaky = Workflow.newActivityStub(FlakyActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(5))
          .setRetryOptions(retry)
          .build());
      return flaky.attempt(scenario.behavior());
    }
  }

  @BeforeEach
  void startServerAndWorker() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(RetryingWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities);
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

  private RetryingWorkflow newWorkflow(String workflowId) {
    return sdk.client().newWorkflowStub(
        RetryingWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
  }

  private WorkflowFailedException runExpectingFailure(String workflowId, RetryScenario scenario) {
    RetryingWorkflow workflow = newWorkflow(workflowId);
    ExecutionException thrown = catchThrowableOfType(ExecutionException.class,
        () -> WorkflowClient.execute(workflow::run, scenario).get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertThat(thrown).as("workflow %s should fail", workflowId).isNotNull();
    assertThat(thrown.getCause()).isInstanceOf(WorkflowFailedException.class);
    return (WorkflowFailedException) thrown.getCause();
  }

  private static ActivityFailure activityFailureOf(WorkflowFailedException failed) {
    assertThat(failed.getCause()).isInstanceOf(ActivityFailure.class);
    ActivityFailure activityFailure = (ActivityFailure) failed.getCause();
    assertThat(activityFailure.getCause()).isInstanceOf(ApplicationFailure.class);
    return activityFailure;
  }

  private List<Integer> attemptNumbers() {
    return activities.attempts.stream().map(AttemptRecord::attempt).toList();
  }

  @Test
  void failingActivityIsRetriedWithExponentialBackoffUntilItSucceeds() throws Exception {
    RetryingWorkflow workflow = newWorkflow("flaky");

    String result = WorkflowClient.execute(workflow::run, new RetryScenario(Behavior.FAIL_TWICE_THEN_SUCCEED, 1_000, 2.0, 5, List.of()))
        .get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    assertThat(result).isEqualTo("succeeded on attempt 3");
    assertThat(attemptNumbers()).containsExactly(1, 2, 3);
    List<AttemptRecord> attempts = List.copyOf(activities.attempts);
    Duration firstBackoff = Duration.ofNanos(attempts.get(1).startNanos() - attempts.get(0).startNanos());
    Duration secondBackoff = Duration.ofNanos(attempts.get(2).startNanos() - attempts.get(1).startNanos());
    assertThat(firstBackoff).isGreaterThanOrEqualTo(Duration.ofSeconds(1).minus(CLOCK_SLACK));
    assertThat(secondBackoff).isGreaterThanOrEqualTo(Duration.ofSeconds(2).minus(CLOCK_SLACK));
  }

  @Test
  void activityFailsWithMaximumAttemptsReachedAfterTheLastAttempt() {
    WorkflowFailedException failed =
        runExpectingFailure("always-failing", new RetryScenario(Behavior.ALWAYS_FAIL, 200, 1.0, 3, List.of()));

    ActivityFailure activityFailure = activityFailureOf(failed);
    assertThat(activityFailure.getRetryState()).isEqualTo(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
    ApplicationFailure cause = (ApplicationFailure) activityFailure.getCause();
    assertThat(cause.getType()).isEqualTo("AlwaysFails");
    assertThat(cause.getOriginalMessage()).isEqualTo("attempt 3 failed");
    assertThat(attemptNumbers()).containsExactly(1, 2, 3);
  }

  @Test
  void failureOfADoNotRetryTypeIsNotRetried() {
    WorkflowFailedException failed = runExpectingFailure("do-not-retry",
        new RetryScenario(Behavior.THROW_ILLEGAL_ARGUMENT, 200, 1.0, 5, List.of(IllegalArgumentException.class.getName())));

    ActivityFailure activityFailure = activityFailureOf(failed);
    assertThat(activityFailure.getRetryState()).isEqualTo(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
    ApplicationFailure cause = (ApplicationFailure) activityFailure.getCause();
    assertThat(cause.getType()).isEqualTo(IllegalArgumentException.class.getName());
    assertThat(cause.getOriginalMessage()).isEqualTo("malformed order");
    assertThat(attemptNumbers()).containsExactly(1);
  }

  @Test
  void nonRetryableApplicationFailureIsNotRetried() {
    WorkflowFailedException failed =
        runExpectingFailure("non-retryable", new RetryScenario(Behavior.FAIL_NON_RETRYABLE, 200, 1.0, 5, List.of()));

    ActivityFailure activityFailure = activityFailureOf(failed);
    assertThat(activityFailure.getRetryState()).isEqualTo(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
    ApplicationFailure cause = (ApplicationFailure) activityFailure.getCause();
    assertThat(cause.getType()).isEqualTo("CardExpired");
    assertThat(cause.isNonRetryable()).isTrue();
    assertThat(attemptNumbers()).containsExactly(1);
  }

  @Test
  void sdkLogsOnlyTheActivityFailuresWhileRetrying() throws Exception {
    RetryingWorkflow workflow = newWorkflow("quiet-flaky");
    WorkflowClient.execute(workflow::run, new RetryScenario(Behavior.FAIL_TWICE_THEN_SUCCEED, 200, 1.0, 5, List.of()))
        .get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    sdk.close();

    assertThat(sdkLogs.events()).filteredOn(CapturedLogEvent::isActivityFailureReport).hasSize(2);
    assertThat(sdkLogs.eventsExcept(CapturedLogEvent::isActivityFailureReport)).isEmpty();
  }
}
