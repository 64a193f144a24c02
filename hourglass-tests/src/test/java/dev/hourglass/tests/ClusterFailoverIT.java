package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hourglass.server.testing.TestingStore;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.tests.support.ActivityAttempts;
import dev.hourglass.tests.support.ClusterProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.ServerProcess;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Three server processes on one PostgreSQL database (active/standby): clients and workers
 * connected to all three, workflows with activities, timers and signals in flight (some activities
 * running on workers, some waiting in the backlog, some workflows sleeping, signals sent during
 * the failover), and the active process killed with SIGKILL. Every workflow must complete with the right result on the process
 * that takes over, no activity attempt may run twice (a handover that dispatched a task again
 * would show as the same attempt number twice), and the killed process must leave the membership.
 */
@Timeout(300)
class ClusterFailoverIT {
  private static final String TASK_QUEUE = "cluster-failover";
  private static final int WORKFLOWS = 12;
  private static final int MAXIMUM_ATTEMPTS = 5;
  private static final ActivityAttempts EXECUTIONS = new ActivityAttempts();

  @TempDir Path dataDir;
  private TestingStore store;
  private final List<ServerProcess> processes = new ArrayList<>();
  private final List<SdkEnvironment> environments = new ArrayList<>();

  @WorkflowInterface
  public interface FailoverWorkflow {
    @WorkflowMethod
    String run(int number);

    @SignalMethod
    void go(String word);

    @QueryMethod
    String stage();
  }

  @ActivityInterface
  public interface Steps {
    String step(String key, int number);
  }

  public static class StepsImpl implements Steps {
    @Override
    public String step(String key, int number) {
      EXECUTIONS.record(key);
      if (key.endsWith(":first")) {
        // Long enough that the kill finds some of these running on a worker.
        sleep(Duration.ofMillis(1500));
      }
      return key.substring(key.indexOf(':') + 1) + "-" + number;
    }

    private static void sleep(Duration duration) {
      try {
        Thread.sleep(duration.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public static class FailoverWorkflowImpl implements FailoverWorkflow {
    private final Steps steps = Workflow.newActivityStub(Steps.class, ActivityOptions.newBuilder()
        // Longer than a failover (about 6 s), so a completion reported through the gap reaches the
        // new active process in time and is accepted; an attempt lost with the killed process's
        // worker is retried when this expires.
        .setStartToCloseTimeout(Duration.ofSeconds(12))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setMaximumAttempts(MAXIMUM_ATTEMPTS).build())
        .build());
    private String word;
    private String stage = "started";

    @Override
    public String run(int number) {
      String id = Workflow.getInfo().getWorkflowId();
      String first = steps.step(id + ":first", number);
      stage = "sleeping";
      Workflow.sleep(Duration.ofSeconds(3));
      stage = "waiting";
      Workflow.await(() -> word != null);
      String second = steps.step(id + ":second", number);
      return first + "/" + word + "/" + second;
    }

    @Override
    public void go(String word) {
      this.word = word;
    }

    @Override
    public String stage() {
      return stage;
    }
  }

  @AfterEach
  void stopEverything() {
    environments.forEach(SdkEnvironment::close);
    processes.forEach(ServerProcess::close);
    if (store != null) {
      store.close();
    }
    EXECUTIONS.clear();
  }

  @Test
  void theActiveProcessKilledMidFlightHandsEverythingOverWithoutDuplicates() throws Exception {
    store = TestingStore.create(dataDir);
    Assumptions.assumeTrue(store.config() instanceof StoreConfig.Postgres, "a cluster needs a shared PostgreSQL database");
    ServerProcess first = start("first");
    ServerProcess second = start("second");
    ServerProcess third = start("third");
    String firstMember = ClusterProbe.describe(first.target()).self();
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
      ClusterProbe.Cluster seen = ClusterProbe.describe(third.target());
      assertThat(seen.members()).hasSize(3);
      assertThat(seen.activeMember()).as("the first process took the shards").isEqualTo(firstMember);
    });

    SdkEnvironment onFirst = connect(first);
    SdkEnvironment onSecond = connect(second);
    SdkEnvironment onThird = connect(third);

    // A client of a standby alone: start, query, signal, poll (its worker) all go through forwarding.
    FailoverWorkflow forwarded = start(onThird, "forwarded", 0);
    await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(forwarded.stage()).isIn("sleeping", "waiting"));
    onThird.client().newWorkflowStub(FailoverWorkflow.class, "forwarded").go("early");
    assertThat(onThird.client().newUntypedWorkflowStub("forwarded").getResult(60, TimeUnit.SECONDS, String.class))
        .isEqualTo("first-0/early/second-0");

    for (int i = 1; i <= WORKFLOWS; i++) {
      start(i % 2 == 0 ? onFirst : onSecond, "wf-" + i, i);
    }
    // Kill when some first activities ran, some are running and some wait in the backlog; the
    // workflows past them sleep on a timer, and the signals they wait for are sent after the kill.
    await().atMost(60, TimeUnit.SECONDS).until(() -> countStarted(":first") >= 1 + WORKFLOWS / 2);
    first.kill();
    for (int i = 1; i <= WORKFLOWS; i++) {
      onThird.client().newWorkflowStub(FailoverWorkflow.class, "wf-" + i).go("w" + i);
    }
    for (int i = 1; i <= WORKFLOWS; i++) {
      String result = onSecond.client().newUntypedWorkflowStub("wf-" + i).getResult(120, TimeUnit.SECONDS, String.class);
      assertThat(result).isEqualTo("first-" + i + "/w" + i + "/second-" + i);
    }

    LoggerFactory.getLogger(ClusterFailoverIT.class).info("activity attempts after the failover: {}", EXECUTIONS);
    assertThat(EXECUTIONS.keys()).isEqualTo(2 * (WORKFLOWS + 1));
    EXECUTIONS.assertNoneRanTwice(MAXIMUM_ATTEMPTS);

    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
      ClusterProbe.Cluster seen = ClusterProbe.describe(second.target());
      assertThat(seen.members()).as("the killed process left").hasSize(2).doesNotContain(firstMember);
      assertThat(seen.activeMember()).isIn(seen.members());
    });
  }

  private ServerProcess start(String name) throws Exception {
    Path logs = Files.createDirectories(Path.of("target", "server-logs"));
    Path log = logs.resolve("ClusterFailoverIT-" + name + ".log");
    Files.deleteIfExists(log);
    ServerProcess process = ServerProcess.start(store.config(), ServerProcess.freePort(), log);
    processes.add(process);
    return process;
  }

  private SdkEnvironment connect(ServerProcess process) {
    SdkEnvironment environment = SdkEnvironment.connect(process.target());
    environments.add(environment);
    environment.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(FailoverWorkflowImpl.class);
      worker.registerActivitiesImplementations(new StepsImpl());
    });
    return environment;
  }

  private static FailoverWorkflow start(SdkEnvironment environment, String workflowId, int number) {
    FailoverWorkflow workflow = environment.client().newWorkflowStub(FailoverWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).setWorkflowTaskTimeout(Duration.ofSeconds(5)).build());
    WorkflowClient.start(workflow::run, number);
    return workflow;
  }

  private static long countStarted(String suffix) {
    return EXECUTIONS.ranEndingWith(suffix);
  }
}
