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
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover test, over and over: three server processes on one PostgreSQL database, clients
 * and workers on each, and round after round a batch of workflows (activity, timer, signal,
 * activity) started and the active process killed with SIGKILL mid-flight, then started again in
 * place (it comes back as a standby). At the end every workflow of every round must have its
 * result and no activity attempt may have run twice. Not in the default run (a few minutes):
 * {@code -Dhourglass.soak=true}, rounds with {@code -Dhourglass.soak.rounds=N} (default 5), e.g.
 * {@code mvn -B verify -pl hourglass-tests -Dit.test=ClusterSoakIT -Dhourglass.soak=true -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "hourglass.soak", matches = "true")
@Timeout(3600)
class ClusterSoakIT {
  private static final Logger log = LoggerFactory.getLogger(ClusterSoakIT.class);
  private static final String TASK_QUEUE = "cluster-soak";
  private static final int ROUNDS = Integer.getInteger("hourglass.soak.rounds", 5);
  private static final int WORKFLOWS_PER_ROUND = 16;
  private static final int MAXIMUM_ATTEMPTS = 5;
  private static final ActivityAttempts EXECUTIONS = new ActivityAttempts();

  @TempDir Path dataDir;
  private TestingStore store;
  private final List<ServerProcess> processes = new ArrayList<>();
  private final List<SdkEnvironment> environments = new ArrayList<>();

  @WorkflowInterface
  public interface SoakWorkflow {
    @WorkflowMethod
    String run(int number);

    @SignalMethod
    void go(String word);
  }

  @ActivityInterface
  public interface SoakSteps {
    String step(String key);
  }

  public static class SoakStepsImpl implements SoakSteps {
    @Override
    public String step(String key) {
      EXECUTIONS.record(key);
      try {
        // Long enough that a kill finds some running on a worker.
        Thread.sleep(800);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return key.substring(key.lastIndexOf(':') + 1);
    }
  }

  public static class SoakWorkflowImpl implements SoakWorkflow {
    private final SoakSteps steps = Workflow.newActivityStub(SoakSteps.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(12))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setMaximumAttempts(MAXIMUM_ATTEMPTS).build())
        .build());
    private String word;

    @Override
    public String run(int number) {
      String id = Workflow.getInfo().getWorkflowId();
      String first = steps.step(id + ":first");
      Workflow.sleep(Duration.ofSeconds(2));
      Workflow.await(() -> word != null);
      String second = steps.step(id + ":second");
      return number + "/" + first + "/" + word + "/" + second;
    }

    @Override
    public void go(String word) {
      this.word = word;
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
  void killingTheActiveProcessRoundAfterRoundLosesAndRepeatsNothing() throws Exception {
    store = TestingStore.create(dataDir);
    Assumptions.assumeTrue(store.config() instanceof StoreConfig.Postgres, "a cluster needs a shared PostgreSQL database");
    int[] ports = {ServerProcess.freePort(), ServerProcess.freePort(), ServerProcess.freePort()};
    for (int i = 0; i < ports.length; i++) {
      processes.add(start(i, ports[i], 0));
    }
    for (int i = 0; i < ports.length; i++) {
      environments.add(connect(processes.get(i)));
    }
    List<String> workflowIds = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      List<String> roundIds = new ArrayList<>();
      for (int i = 0; i < WORKFLOWS_PER_ROUND; i++) {
        String workflowId = "soak-" + round + "-" + i;
        roundIds.add(workflowId);
        SoakWorkflow workflow = environments.get(i % 3).client().newWorkflowStub(SoakWorkflow.class, WorkflowOptions.newBuilder()
            .setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
        WorkflowClient.start(workflow::run, i);
      }
      workflowIds.addAll(roundIds);
      await().atMost(120, TimeUnit.SECONDS).until(() -> countStarted(roundIds, ":first") >= WORKFLOWS_PER_ROUND / 2);

      int active = activeProcess(ports);
      long killedAt = System.nanoTime();
      processes.get(active).kill();
      SdkEnvironment survivor = environments.get((active + 1) % 3);
      for (String workflowId : roundIds) {
        survivor.client().newWorkflowStub(SoakWorkflow.class, workflowId).go("r");
      }
      // The killed process comes back in place, as a standby; its clients and workers reconnect.
      processes.set(active, start(active, ports[active], round));
      log.info("round {}: killed the active process (port {}), signalled its workflows, restarted it after {} ms", round, ports[active],
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
    }

    for (String workflowId : workflowIds) {
      String result = environments.get(0).client().newUntypedWorkflowStub(workflowId).getResult(300, TimeUnit.SECONDS, String.class);
      String number = workflowId.substring(workflowId.lastIndexOf('-') + 1);
      assertThat(result).as("result of %s", workflowId).isEqualTo(number + "/first/r/second");
    }
    assertThat(EXECUTIONS.keys()).isEqualTo(2 * workflowIds.size());
    EXECUTIONS.assertNoneRanTwice(MAXIMUM_ATTEMPTS);
    log.info("{} workflows over {} kills; activity executions beyond the first attempt: {}", workflowIds.size(), ROUNDS,
        EXECUTIONS.retries());
  }

  /** The index of the process that holds the shards, once one does. */
  private int activeProcess(int[] ports) {
    String[] active = new String[1];
    await().atMost(60, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
      ClusterProbe.Cluster seen = ClusterProbe.describe(processes.get(0).target());
      active[0] = seen.activeMember();
      return active[0] != null && !active[0].isEmpty();
    });
    for (int i = 0; i < ports.length; i++) {
      if (processes.get(i).isAlive() && ClusterProbe.describe(processes.get(i).target()).self().equals(active[0])) {
        return i;
      }
    }
    throw new IllegalStateException("no live process is the active member " + active[0]);
  }

  private ServerProcess start(int index, int port, int generation) throws Exception {
    Path log = Files.createDirectories(Path.of("target", "server-logs")).resolve("ClusterSoakIT-" + index + "-" + generation + ".log");
    Files.deleteIfExists(log);
    return ServerProcess.start(store.config(), port, log);
  }

  private static SdkEnvironment connect(ServerProcess process) {
    SdkEnvironment environment = SdkEnvironment.connect(process.target());
    environment.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(SoakWorkflowImpl.class);
      worker.registerActivitiesImplementations(new SoakStepsImpl());
    });
    return environment;
  }

  private static long countStarted(List<String> workflowIds, String suffix) {
    return workflowIds.stream().filter(id -> EXECUTIONS.ran(id + suffix)).count();
  }
}
