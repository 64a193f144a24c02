package dev.hourglass.tests;

import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_FIRED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.server.testing.TestingStore;
import dev.hourglass.tests.support.ActivityCompletionAcknowledgements;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import dev.hourglass.tests.support.ServerProcess;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nothing acknowledged is lost and nothing is done twice across a clean restart, a SIGKILL of the
 * server process, and workers that are away while timers come due.
 */
@Timeout(300)
class DurabilityIT {
  private static final Logger log = LoggerFactory.getLogger(DurabilityIT.class);
  private static final String TASK_QUEUE = "durability";
  private static final int STEPS = 3;

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private final List<ServerProcess> serverProcesses = new ArrayList<>();
  private TestingStore store;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface PipelineWorkflow {
    /** Runs {@code steps} activities one after another with a timer of {@code pauseMillis} between them. */
    @WorkflowMethod
    String run(int steps, long pauseMillis);
  }

  @ActivityInterface
  public interface PipelineActivities {
    String step(String workflowId, int step);
  }

  public static class PipelineWorkflowImpl implements PipelineWorkflow {
    @Override
    public String run(int steps, long pauseMillis) {
      PipelineActivities activities = Workflow.newActivityStub(PipelineActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(3))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(200)).setBackoffCoefficient(1.0).build())
          .build());
      String workflowId = Workflow.getInfo().getWorkflowId();
      List<String> results = new ArrayList<>();
      for (int step = 1; step <= steps; step++) {
        if (step > 1) {
          Workflow.sleep(Duration.ofMillis(pauseMillis));
        }
        results.add(activities.step(workflowId, step));
      }
      return String.join(",", results);
    }
  }

  @WorkflowInterface
  public interface FamilyWorkflow {
    /** Starts {@code children} pipeline child workflows at once and joins their results. */
    @WorkflowMethod
    String run(int children);
  }

  public static class FamilyWorkflowImpl implements FamilyWorkflow {
    @Override
    public String run(int children) {
      String parentId = Workflow.getInfo().getWorkflowId();
      List<Promise<String>> results = new ArrayList<>();
      for (int i = 0; i < children; i++) {
        PipelineWorkflow child = Workflow.newChildWorkflowStub(PipelineWorkflow.class, ChildWorkflowOptions.newBuilder()
            .setWorkflowId(parentId + "-child-" + i)
            .setWorkflowTaskTimeout(Duration.ofSeconds(2))
            .build());
        results.add(Async.function(child::run, 2, 200L));
      }
      return results.stream().map(Promise::get).collect(Collectors.joining("|"));
    }
  }

  /** Counts executions per (workflow, step) and remembers which task token each execution had. */
  public static class CountingActivitiesImpl implements PipelineActivities {
    final ConcurrentHashMap<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    final ConcurrentHashMap<ByteString, String> stepByTaskToken = new ConcurrentHashMap<>();

    static String key(String workflowId, int step) {
      return workflowId + "#" + step;
    }

    @Override
    public String step(String workflowId, int step) {
      String key = key(workflowId, step);
      stepByTaskToken.put(ByteString.copyFrom(Activity.getExecutionContext().getTaskToken()), key);
      executions.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      return "step" + step;
    }

    int executionsOf(String workflowId, int step) {
      AtomicInteger count = executions.get(key(workflowId, step));
      return count == null ? 0 : count.get();
    }

    Set<String> stepsOf(Set<ByteString> taskTokens) {
      return taskTokens.stream().map(stepByTaskToken::get).collect(Collectors.toUnmodifiableSet());
    }
  }

  @AfterEach
  void stopEverything() {
    // Workers first: their graceful shutdown talks to the server.
    if (sdk != null) {
      sdk.close();
    }
    if (server != null) {
      server.close();
    }
    for (ServerProcess process : serverProcesses) {
      process.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static String expectedResult(int steps) {
    return LongStream.rangeClosed(1, steps).mapToObj(step -> "step" + step).collect(Collectors.joining(","));
  }

  private WorkflowOptions options(String workflowId) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(TASK_QUEUE)
        .setWorkflowId(workflowId)
        // A workflow task in flight when the server dies is retried after this, not after the default 10 s.
        .setWorkflowTaskTimeout(Duration.ofSeconds(2))
        .build();
  }

  private WorkerFactory startPipelineWorker(CountingActivitiesImpl activities, WorkerOptions options) {
    return sdk.startWorker(TASK_QUEUE, options, worker -> {
      worker.registerWorkflowImplementationTypes(PipelineWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities);
    });
  }

  /** One run per workflow id, history ids 1..n, one completion, every step scheduled and completed once. */
  private static void assertCleanHistory(String workflowId, List<HistoryEvent> events, int steps) {
    assertThat(events).as("event ids of %s", workflowId).extracting(HistoryEvent::getEventId)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().collect(Collectors.toList()));
    assertThat(HistoryProbe.count(events, EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)).as("completions of %s", workflowId).isEqualTo(1);
    assertThat(events.get(events.size() - 1).getEventType()).as("last event of %s", workflowId)
        .isEqualTo(EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    assertThat(HistoryProbe.count(events, EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).as("activities scheduled in %s", workflowId)
        .isEqualTo(steps);
    assertThat(HistoryProbe.count(events, EVENT_TYPE_ACTIVITY_TASK_COMPLETED)).as("activities completed in %s", workflowId)
        .isEqualTo(steps);
    assertThat(HistoryProbe.count(events, EVENT_TYPE_TIMER_STARTED)).as("timers started in %s", workflowId).isEqualTo(steps - 1);
    assertThat(HistoryProbe.count(events, EVENT_TYPE_TIMER_FIRED)).as("timers fired in %s", workflowId).isEqualTo(steps - 1);
  }

  @Test
  void sleepingWorkflowsCompleteAfterACleanServerRestart() throws Exception {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    CountingActivitiesImpl activities = new CountingActivitiesImpl();
    startPipelineWorker(activities, WorkerOptions.getDefaultInstance());
    HistoryProbe history = new HistoryProbe(sdk.client());
    List<String> workflowIds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String workflowId = "restart-" + i;
      PipelineWorkflow workflow = sdk.client().newWorkflowStub(PipelineWorkflow.class, options(workflowId));
      WorkflowClient.start(workflow::run, 2, 2_000L);
      workflowIds.add(workflowId);
    }
    for (String workflowId : workflowIds) {
      history.awaitEvent(workflowId, EVENT_TYPE_TIMER_STARTED, Duration.ofSeconds(10));
    }

    server.restart();

    for (String workflowId : workflowIds) {
      String result = sdk.client().newUntypedWorkflowStub(workflowId).getResult(30, TimeUnit.SECONDS, String.class);
      assertThat(result).as("result of %s", workflowId).isEqualTo(expectedResult(2));
      assertCleanHistory(workflowId, history.events(workflowId), 2);
      assertThat(activities.executionsOf(workflowId, 1)).as("executions of %s step 1", workflowId).isEqualTo(1);
      assertThat(activities.executionsOf(workflowId, 2)).as("executions of %s step 2", workflowId).isEqualTo(1);
    }
  }

  @Test
  void everyWorkflowCompletesExactlyOnceAfterTheServerProcessIsKilledMidFlight() throws Exception {
    int workflowCount = 50;
    ActivityCompletionAcknowledgements acknowledgements = new ActivityCompletionAcknowledgements();
    ServerProcess doomed = startServerProcess("DurabilityIT-crash.log", acknowledgements);
    CountingActivitiesImpl activities = new CountingActivitiesImpl();
    startPipelineWorker(activities, WorkerOptions.getDefaultInstance());
    Map<String, WorkflowExecution> runs = new LinkedHashMap<>();
    for (int i = 0; i < workflowCount; i++) {
      String workflowId = String.format("crash-%02d", i);
      PipelineWorkflow workflow = sdk.client().newWorkflowStub(PipelineWorkflow.class, options(workflowId));
      runs.put(workflowId, WorkflowClient.start(workflow::run, STEPS, 500L));
    }
    log.info("started {} workflows", workflowCount);
    await("some activity completions acknowledged").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
        .until(() -> acknowledgements.count() >= workflowCount);

    doomed.kill();
    Set<String> acknowledgedBeforeKill = activities.stepsOf(acknowledgements.snapshot());
    log.info("killed the server with {} of {} activity completions acknowledged", acknowledgedBeforeKill.size(), workflowCount * STEPS);
    assertThat(acknowledgedBeforeKill).as("the kill must come mid-flight").hasSizeLessThan(workflowCount * STEPS);
    restartServerProcess(doomed, "DurabilityIT-crash.log");

    Map<String, CompletableFuture<String>> results = new LinkedHashMap<>();
    runs.forEach((workflowId, run) -> results.put(
        workflowId, sdk.client().newUntypedWorkflowStub(workflowId).getResultAsync(String.class)));
    HistoryProbe history = new HistoryProbe(sdk.client());
    awaitAll(results, Duration.ofSeconds(90), history);
    log.info("all {} workflows completed after the restart", workflowCount);
    for (Map.Entry<String, WorkflowExecution> run : runs.entrySet()) {
      String workflowId = run.getKey();
      assertThat(results.get(workflowId).get()).as("result of %s", workflowId).isEqualTo(expectedResult(STEPS));
      assertThat(sdk.client().newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId())
          .as("run of %s", workflowId).isEqualTo(run.getValue().getRunId());
      assertCleanHistory(workflowId, history.events(workflowId), STEPS);
      for (int step = 1; step <= STEPS; step++) {
        String key = CountingActivitiesImpl.key(workflowId, step);
        int executions = activities.executionsOf(workflowId, step);
        if (acknowledgedBeforeKill.contains(key)) {
          assertThat(executions).as("executions of %s, acknowledged before the kill", key).isEqualTo(1);
        } else {
          assertThat(executions).as("executions of %s, not acknowledged before the kill", key).isBetween(1, 3);
        }
      }
    }
  }

  @Test
  void parentsAndChildrenCompleteExactlyOnceAfterTheServerProcessIsKilledMidFlight() throws Exception {
    int parentCount = 20;
    int childCount = 3;
    ActivityCompletionAcknowledgements acknowledgements = new ActivityCompletionAcknowledgements();
    ServerProcess doomed = startServerProcess("DurabilityIT-children-crash.log", acknowledgements);
    CountingActivitiesImpl activities = new CountingActivitiesImpl();
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(PipelineWorkflowImpl.class, FamilyWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities);
    });
    List<String> parentIds = new ArrayList<>();
    for (int i = 0; i < parentCount; i++) {
      String workflowId = String.format("family-%02d", i);
      WorkflowClient.start(sdk.client().newWorkflowStub(FamilyWorkflow.class, options(workflowId))::run, childCount);
      parentIds.add(workflowId);
    }
    await("some child activity completions acknowledged").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
        .until(() -> acknowledgements.count() >= parentCount);

    doomed.kill();
    Set<String> acknowledgedBeforeKill = activities.stepsOf(acknowledgements.snapshot());
    assertThat(acknowledgedBeforeKill).as("the kill must come mid-flight").hasSizeLessThan(parentCount * childCount * 2);
    restartServerProcess(doomed, "DurabilityIT-children-crash.log");

    Map<String, CompletableFuture<String>> results = new LinkedHashMap<>();
    parentIds.forEach(workflowId -> results.put(workflowId, sdk.client().newUntypedWorkflowStub(workflowId).getResultAsync(String.class)));
    HistoryProbe history = new HistoryProbe(sdk.client());
    awaitAll(results, Duration.ofSeconds(90), history);
    String expected = String.join("|", java.util.Collections.nCopies(childCount, expectedResult(2)));
    for (String parentId : parentIds) {
      assertThat(results.get(parentId).get()).as("result of %s", parentId).isEqualTo(expected);
      List<HistoryEvent> events = history.events(parentId);
      assertThat(events).as("event ids of %s", parentId).extracting(HistoryEvent::getEventId)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().collect(Collectors.toList()));
      assertThat(HistoryProbe.count(events, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)).isEqualTo(childCount);
      assertThat(HistoryProbe.count(events, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)).isEqualTo(childCount);
      assertThat(HistoryProbe.count(events, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)).isEqualTo(childCount);
      for (int i = 0; i < childCount; i++) {
        String childId = parentId + "-child-" + i;
        assertCleanHistory(childId, history.events(childId), 2);
        var childInfo = sdk.client().newUntypedWorkflowStub(childId).describe();
        assertThat(childInfo.getExecution().getRunId()).as("one run of %s", childId).isEqualTo(childInfo.getFirstRunId());
        for (int step = 1; step <= 2; step++) {
          String key = CountingActivitiesImpl.key(childId, step);
          assertThat(activities.executionsOf(childId, step)).as("executions of %s", key)
              .isBetween(1, acknowledgedBeforeKill.contains(key) ? 1 : 3);
        }
      }
    }
  }

  /**
   * Starts the server as its own process on a fresh data file and connects the SDK to it; its log
   * is kept under target/ so a failed run can be diagnosed after the temporary directory is gone.
   */
  private ServerProcess startServerProcess(String logName, ActivityCompletionAcknowledgements acknowledgements) throws Exception {
    Files.deleteIfExists(serverLog(logName));
    if (store == null) {
      store = TestingStore.create(dataDir);
    }
    ServerProcess process = ServerProcess.start(store.config(), ServerProcess.freePort(), serverLog(logName));
    serverProcesses.add(process);
    sdk = SdkEnvironment.connect(process.target(), List.of(acknowledgements));
    return process;
  }

  /** A new server process on the killed one's store and port, logging to the same file. */
  private void restartServerProcess(ServerProcess killed, String logName) throws Exception {
    serverProcesses.add(ServerProcess.start(store.config(), killed.port(), serverLog(logName)));
  }

  private static Path serverLog(String logName) throws Exception {
    return Files.createDirectories(Path.of("target", "server-logs")).resolve(logName);
  }

  /** Waits for every result; on timeout, names the workflows that did not finish and shows a few histories. */
  private static void awaitAll(Map<String, CompletableFuture<String>> results, Duration timeout, HistoryProbe history)
      throws Exception {
    try {
      CompletableFuture.allOf(results.values().toArray(new CompletableFuture<?>[0])).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      List<String> unfinished = results.entrySet().stream()
          .filter(entry -> !entry.getValue().isDone()).map(Map.Entry::getKey).collect(Collectors.toList());
      String histories = unfinished.stream().limit(3).map(history::render).collect(Collectors.joining(System.lineSeparator()));
      throw new AssertionError("workflows not finished within " + timeout + ": " + unfinished + System.lineSeparator() + histories, e);
    }
  }

  @Test
  void timersThatCameDueWhileWorkersWereAwayCompletePromptlyWhenAWorkerReturns() throws Exception {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    CountingActivitiesImpl activities = new CountingActivitiesImpl();
    // A short sticky schedule-to-start so the task queued for the departed worker's cache falls back fast.
    WorkerOptions workerOptions = WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ofSeconds(1)).build();
    WorkerFactory departing = startPipelineWorker(activities, workerOptions);
    HistoryProbe history = new HistoryProbe(sdk.client());
    List<String> workflowIds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String workflowId = "away-" + i;
      PipelineWorkflow workflow = sdk.client().newWorkflowStub(PipelineWorkflow.class, options(workflowId));
      WorkflowClient.start(workflow::run, 2, 2_000L);
      workflowIds.add(workflowId);
    }
    for (String workflowId : workflowIds) {
      history.awaitEvent(workflowId, EVENT_TYPE_TIMER_STARTED, Duration.ofSeconds(10));
    }

    SdkEnvironment.shutdown(departing);
    for (String workflowId : workflowIds) {
      history.awaitEvent(workflowId, EVENT_TYPE_TIMER_FIRED, Duration.ofSeconds(10));
    }
    long returnNanos = System.nanoTime();
    startPipelineWorker(activities, workerOptions);

    for (String workflowId : workflowIds) {
      String result = sdk.client().newUntypedWorkflowStub(workflowId).getResult(20, TimeUnit.SECONDS, String.class);
      assertThat(result).as("result of %s", workflowId).isEqualTo(expectedResult(2));
      assertCleanHistory(workflowId, history.events(workflowId), 2);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - returnNanos))
        .as(() -> "time from worker return to the last completion; histories:" + System.lineSeparator()
            + workflowIds.stream().map(history::render).collect(Collectors.joining(System.lineSeparator())))
        .isLessThan(Duration.ofSeconds(5));
  }
}
