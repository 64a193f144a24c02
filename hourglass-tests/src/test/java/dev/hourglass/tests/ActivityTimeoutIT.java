package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Activity timeouts are enforced by the server, with the timeout type Temporal reports. */
@Timeout(60)
class ActivityTimeoutIT {
  private static final String TASK_QUEUE = "timeouts";
  /** An activity task queue no worker polls. */
  private static final String UNPOLLED_TASK_QUEUE = "timeouts-nobody-polls";
  private static final long RESULT_TIMEOUT_SECONDS = 20;

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;
  private final StallingActivitiesImpl activities = new StallingActivitiesImpl();

  /** What the activity does. */
  public enum Work {
    /** Blocks until the test ends. */
    BLOCK,
    /** Heartbeats "started" once, then blocks without heartbeating. */
    HEARTBEAT_ONCE_THEN_BLOCK,
    /** Attempt 1 heartbeats "progress-5" and throws; later attempts return the heartbeat details they received. */
    HEARTBEAT_PROGRESS_THEN_THROW,
    /** Attempt 1 heartbeats "progress-5" and blocks; later attempts return the heartbeat details they received. */
    HEARTBEAT_PROGRESS_THEN_BLOCK
  }

  /**
   * Activity options for one scenario; a timeout of 0 is left unset.
   *
   * @param activityTaskQueue where the activity is scheduled; empty = the workflow's task queue
   * @param retryInitialMillis the retry policy's initial (and constant) interval
   */
  public record TimeoutScenario(
      Work work,
      String activityTaskQueue,
      long scheduleToStartMillis,
      long startToCloseMillis,
      long scheduleToCloseMillis,
      long heartbeatMillis,
      int maximumAttempts,
      long retryInitialMillis) {

    TimeoutScenario(Work work, String activityTaskQueue, long scheduleToStartMillis, long startToCloseMillis,
        long scheduleToCloseMillis, long heartbeatMillis, int maximumAttempts) {
      this(work, activityTaskQueue, scheduleToStartMillis, startToCloseMillis, scheduleToCloseMillis, heartbeatMillis,
          maximumAttempts, 200);
    }
  }

  public record AttemptRecord(int attempt, String heartbeatDetails) {}

  @WorkflowInterface
  public interface TimeoutWorkflow {
    @WorkflowMethod
    String run(TimeoutScenario scenario);
  }

  @ActivityInterface
  public interface StallingActivities {
    String perform(Work work);
  }

  public static class StallingActivitiesImpl implements StallingActivities {
    /** Released when the test ends so blocked activity threads return. */
    final CountDownLatch release = new CountDownLatch(1);
    final ConcurrentLinkedQueue<AttemptRecord> attempts = new ConcurrentLinkedQueue<>();

    @Override
    public String perform(Work work) {
      ActivityExecutionContext context = Activity.getExecutionContext();
      int attempt = context.getInfo().getAttempt();
      String details = context.getHeartbeatDetails(String.class).orElse(null);
      attempts.add(new AttemptRecord(attempt, details));
      switch (work) {
        case BLOCK:
          return blockUntilReleased();
        case HEARTBEAT_ONCE_THEN_BLOCK:
          context.heartbeat("started");
          return blockUntilReleased();
        case HEARTBEAT_PROGRESS_THEN_THROW:
          if (attempt == 1) {
            context.heartbeat("progress-5");
            throw ApplicationFailure.newFailure("worker crashed at item 5", "Crash");
          }
          return "resumed from " + details;
        case HEARTBEAT_PROGRESS_THEN_BLOCK:
          if (attempt == 1) {
            context.heartbeat("progress-5");
            return blockUntilReleased();
          }
          return "resumed from " + details;
      }
      throw new IllegalArgumentException("unknown work " + work);
    }

    private String blockUntilReleased() {
      try {
        release.await(RESULT_TIMEOUT_SECONDS * 2, TimeUnit.SECONDS);
        return "released";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Activity.wrap(e);
      }
    }
  }

  public static class TimeoutWorkflowImpl implements TimeoutWorkflow {
    @Override
    public String run(TimeoutScenario scenario) {
      ActivityOptions.Builder options = ActivityOptions.newBuilder()
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofMillis(scenario.retryInitialMillis()))
              .setBackoffCoefficient(1.0)
              .setMaximumAttempts(scenario.maximumAttempts())
              .build());
      if (!scenario.activityTaskQueue().isEmpty()) {
        options.setTaskQueue(scenario.activityTaskQueue());
      }
      if (scenario.scheduleToStartMillis() > 0) {
        options.setScheduleToStartTimeout(Duration.ofMillis(scenario.scheduleToStartMillis()));
      }
      if (scenario.startToCloseMillis() > 0) {
        options.setStartToCloseTimeout(Duration.ofMillis(scenario.startToCloseMillis()));
      }
      if (scenario.scheduleToCloseMillis() > 0) {
        options.setScheduleToCloseTimeout(Duration.ofMillis(scenario.scheduleToCloseMillis()));
      }
      if (scenario.heartbeatMillis() > 0) {
        options.setHeartbeatTimeout(Duration.ofMillis(scenario.heartbeatMillis()));
      }
      return Workflow.newActivityStub(StallingActivities.class, options.build()).perform(scenario.work());
    }
  }

  @BeforeEach
  void startServerAndWorker() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(TimeoutWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities);
    });
  }

  @AfterEach
  void stopServer() {
    activities.release.countDown();
    if (sdk != null) {
      sdk.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private TimeoutWorkflow newWorkflow(String workflowId) {
    return sdk.client().newWorkflowStub(
        TimeoutWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
  }

  /** Runs the scenario, expects the workflow to fail with an activity timeout, and returns that failure. */
  private ActivityFailure runExpectingActivityTimeout(String workflowId, TimeoutScenario scenario) {
    TimeoutWorkflow workflow = newWorkflow(workflowId);
    ExecutionException thrown = catchThrowableOfType(ExecutionException.class,
        () -> WorkflowClient.execute(workflow::run, scenario).get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertThat(thrown).as("workflow %s should fail", workflowId).isNotNull();
    assertThat(thrown.getCause()).isInstanceOf(WorkflowFailedException.class);
    assertThat(thrown.getCause().getCause()).isInstanceOf(ActivityFailure.class);
    ActivityFailure activityFailure = (ActivityFailure) thrown.getCause().getCause();
    assertThat(activityFailure.getCause()).isInstanceOf(TimeoutFailure.class);
    return activityFailure;
  }

  private static TimeoutType timeoutTypeOf(ActivityFailure failure) {
    return ((TimeoutFailure) failure.getCause()).getTimeoutType();
  }

  @Test
  void activityRunningPastStartToCloseTimesOut() {
    ActivityFailure failure = runExpectingActivityTimeout(
        "start-to-close", new TimeoutScenario(Work.BLOCK, "", 0, 1_000, 0, 0, 1));

    assertThat(timeoutTypeOf(failure)).isEqualTo(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    assertThat(failure.getRetryState()).isEqualTo(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
    assertThat(activities.attempts).hasSize(1);
  }

  @Test
  void activityRunningPastScheduleToCloseTimesOut() {
    ActivityFailure failure = runExpectingActivityTimeout(
        "schedule-to-close", new TimeoutScenario(Work.BLOCK, "", 0, 0, 2_000, 0, 0));

    assertThat(timeoutTypeOf(failure)).isEqualTo(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
  }

  @Test
  void startToCloseTimeoutWithNoTimeLeftForARetryBecomesScheduleToCloseWithoutCause() {
    // The retry would start 5 s after the first attempt's start-to-close timeout, past the schedule-to-close deadline.
    ActivityFailure failure = runExpectingActivityTimeout(
        "no-time-for-retry", new TimeoutScenario(Work.BLOCK, "", 0, 1_000, 4_000, 0, 0, 5_000));

    assertThat(failure.getRetryState()).isEqualTo(RetryState.RETRY_STATE_TIMEOUT);
    assertThat(timeoutTypeOf(failure)).isEqualTo(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
    // Temporal replaces the last attempt's timeout in place: the cause is only what earlier attempts failed with.
    assertThat(failure.getCause().getCause()).isNull();
    assertThat(activities.attempts).hasSize(1);
  }

  @Test
  void scheduleToCloseAfterHeartbeatTimeoutsKeepsTheDetailsOnTheOuterFailureOnly() {
    ActivityFailure failure = runExpectingActivityTimeout(
        "heartbeat-schedule-to-close", new TimeoutScenario(Work.HEARTBEAT_ONCE_THEN_BLOCK, "", 0, 10_000, 3_000, 1_000, 0));

    assertThat(failure.getRetryState()).isEqualTo(RetryState.RETRY_STATE_TIMEOUT);
    TimeoutFailure scheduleToClose = (TimeoutFailure) failure.getCause();
    assertThat(scheduleToClose.getTimeoutType()).isEqualTo(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
    assertThat(scheduleToClose.getLastHeartbeatDetails().get(String.class)).isEqualTo("started");
    assertThat(scheduleToClose.getCause()).isInstanceOf(TimeoutFailure.class);
    TimeoutFailure heartbeat = (TimeoutFailure) scheduleToClose.getCause();
    assertThat(heartbeat.getTimeoutType()).isEqualTo(TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
    assertThat(heartbeat.getLastHeartbeatDetails().getSize()).isZero();
    assertThat(heartbeat.getCause()).isNull();
  }

  @Test
  void activityNobodyPollsForTimesOutScheduleToStart() {
    ActivityFailure failure = runExpectingActivityTimeout(
        "schedule-to-start", new TimeoutScenario(Work.BLOCK, UNPOLLED_TASK_QUEUE, 1_000, 5_000, 0, 0, 1));

    assertThat(timeoutTypeOf(failure)).isEqualTo(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    assertThat(activities.attempts).isEmpty();
  }

  @Test
  void activityThatStopsHeartbeatingTimesOutWithItsLastDetails() {
    ActivityFailure failure = runExpectingActivityTimeout(
        "heartbeat", new TimeoutScenario(Work.HEARTBEAT_ONCE_THEN_BLOCK, "", 0, 10_000, 0, 1_000, 1));

    assertThat(timeoutTypeOf(failure)).isEqualTo(TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
    assertThat(failure.getRetryState()).isEqualTo(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
    TimeoutFailure timeout = (TimeoutFailure) failure.getCause();
    assertThat(timeout.getLastHeartbeatDetails().get(String.class)).isEqualTo("started");
  }

  @Test
  void heartbeatDetailsOfAFailedAttemptReachTheNextAttempt() throws Exception {
    TimeoutWorkflow workflow = newWorkflow("heartbeat-then-fail");

    String result = WorkflowClient.execute(workflow::run,
            new TimeoutScenario(Work.HEARTBEAT_PROGRESS_THEN_THROW, "", 0, 5_000, 0, 0, 3))
        .get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    assertThat(result).isEqualTo("resumed from progress-5");
    assertThat(List.copyOf(activities.attempts))
        .containsExactly(new AttemptRecord(1, null), new AttemptRecord(2, "progress-5"));
  }

  @Test
  void heartbeatDetailsOfATimedOutAttemptReachTheNextAttempt() throws Exception {
    TimeoutWorkflow workflow = newWorkflow("heartbeat-then-stall");

    String result = WorkflowClient.execute(workflow::run,
            new TimeoutScenario(Work.HEARTBEAT_PROGRESS_THEN_BLOCK, "", 0, 10_000, 0, 1_000, 3))
        .get(RESULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);

    assertThat(result).isEqualTo("resumed from progress-5");
    assertThat(List.copyOf(activities.attempts))
        .containsExactly(new AttemptRecord(1, null), new AttemptRecord(2, "progress-5"));
  }
}
