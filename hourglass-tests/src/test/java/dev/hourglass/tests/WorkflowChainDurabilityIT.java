package dev.hourglass.tests;

import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.server.testing.TestingStore;
import dev.hourglass.tests.WorkflowRetryCronIT.CountingCronWorkflowImpl;
import dev.hourglass.tests.WorkflowRetryCronIT.FlakyWorkflow;
import dev.hourglass.tests.WorkflowRetryCronIT.FlakyWorkflowImpl;
import dev.hourglass.tests.WorkflowRetryCronIT.GreetingWorkflow;
import dev.hourglass.tests.WorkflowRetryCronIT.GreetingWorkflowImpl;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.RunChain;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.ServerProcess;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The waits between the runs of a chain are durable: a retry backoff, a cron workflow's wait for
 * its next cron time and a start delay that span a SIGKILL of the server fire after the restart,
 * each exactly once (one first workflow task, one next run).
 */
@Timeout(240)
class WorkflowChainDurabilityIT {
  private static final String TASK_QUEUE = "chain-durability";
  /** Long enough that the server is killed while every wait is pending. */
  private static final Duration WAIT = Duration.ofSeconds(6);

  @TempDir Path dataDir;
  private final List<ServerProcess> serverProcesses = new ArrayList<>();
  private TestingStore store;
  private SdkEnvironment sdk;

  @AfterEach
  void stopEverything() {
    if (sdk != null) {
      sdk.close();
    }
    for (ServerProcess process : serverProcesses) {
      process.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static WorkflowOptions.Builder options(String workflowId) {
    return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId)
        // A workflow task in flight when the server dies is retried after this, not after the default 10 s.
        .setWorkflowTaskTimeout(Duration.ofSeconds(2));
  }

  @Test
  void retryBackoffCronWaitAndStartDelayPendingAtASigkillFireOnceAfterRestart() throws Exception {
    store = TestingStore.create(dataDir);
    Path serverLog = Files.createDirectories(Path.of("target", "server-logs")).resolve("WorkflowChainDurabilityIT.log");
    Files.deleteIfExists(serverLog);
    int port = ServerProcess.freePort();
    ServerProcess doomed = ServerProcess.start(store.config(), port, serverLog);
    serverProcesses.add(doomed);
    sdk = SdkEnvironment.connect(doomed.target());
    sdk.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(FlakyWorkflowImpl.class,
        CountingCronWorkflowImpl.class, GreetingWorkflowImpl.class));
    RunChain runs = new RunChain(sdk.client());

    FlakyWorkflow flaky = sdk.client().newWorkflowStub(FlakyWorkflow.class, options("retried")
        // Twice the cron interval: the test waits for the cron chain's second run too (up to one
        // interval later), and the retry's backoff must still be pending when the server is killed.
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(WAIT.multipliedBy(2)).setMaximumAttempts(3).build()).build());
    WorkflowExecution retried = WorkflowClient.start(flaky::run, 2, "Flaky");
    WorkflowStub cron = sdk.client().newUntypedWorkflowStub("CountingCronWorkflow",
        options("cron").setCronSchedule("@every " + WAIT.toSeconds() + "s").build());
    WorkflowExecution cronFirst = cron.start(false);
    await("the retry and the second cron run wait").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> runs.runIds("retried", retried.getRunId()).size() == 2 && runs.runIds("cron", cronFirst.getRunId()).size() == 2);
    GreetingWorkflow greeting = sdk.client().newWorkflowStub(GreetingWorkflow.class, options("delayed").setStartDelay(WAIT).build());
    WorkflowClient.start(greeting::greet);
    greeting.name("linus");

    doomed.kill();
    long killedAtMillis = System.currentTimeMillis();
    ServerProcess restarted = ServerProcess.start(store.config(), port, serverLog);
    serverProcesses.add(restarted);

    assertThat(WorkflowStub.fromTyped(flaky).getResult(60, TimeUnit.SECONDS, String.class)).isEqualTo("done on attempt 2");
    assertThat(WorkflowStub.fromTyped(greeting).getResult(60, TimeUnit.SECONDS, String.class)).isEqualTo("hello linus");
    await("the cron run after the restart and the one after it").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> runs.runIds("cron", cronFirst.getRunId()).size() >= 3);
    sdk.client().newUntypedWorkflowStub("cron").terminate("test over");

    List<String> retryChain = runs.runIds("retried", retried.getRunId());
    assertThat(retryChain).hasSize(2);
    assertWaitedOnceThenCompleted(runs.events("retried", retryChain.get(1)), killedAtMillis);
    assertThat(sdk.client().newUntypedWorkflowStub("retried").describe().getExecution().getRunId()).isEqualTo(retryChain.get(1));

    List<String> cronChain = runs.runIds("cron", cronFirst.getRunId());
    assertThat(cronChain).doesNotHaveDuplicates();
    assertWaitedOnceThenCompleted(runs.events("cron", cronChain.get(1)), killedAtMillis);
    assertThat(sdk.client().newUntypedWorkflowStub("cron").describe().getExecution().getRunId())
        .isEqualTo(cronChain.get(cronChain.size() - 1));

    assertWaitedOnceThenCompleted(new HistoryProbe(sdk.client()).events("delayed"), killedAtMillis);
  }

  /** One first workflow task, after the run's backoff and after the kill, and one completion that ends the history. */
  private static void assertWaitedOnceThenCompleted(List<HistoryEvent> events, long killedAtMillis) {
    HistoryEvent started = events.get(0);
    long backoffMillis = Durations.toMillis(started.getWorkflowExecutionStartedEventAttributes().getFirstWorkflowTaskBackoff());
    assertThat(backoffMillis).isPositive();
    HistoryEvent firstTask = events.stream().filter(event -> event.getEventType() == EVENT_TYPE_WORKFLOW_TASK_SCHEDULED).findFirst()
        .orElseThrow();
    assertThat(Timestamps.toMillis(firstTask.getEventTime()) - Timestamps.toMillis(started.getEventTime()))
        .isGreaterThanOrEqualTo(backoffMillis);
    assertThat(Timestamps.toMillis(firstTask.getEventTime())).as("first workflow task after the kill").isGreaterThan(killedAtMillis);
    assertThat(HistoryProbe.count(events, EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)).isEqualTo(1);
    assertThat(events.get(events.size() - 1).getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }
}
