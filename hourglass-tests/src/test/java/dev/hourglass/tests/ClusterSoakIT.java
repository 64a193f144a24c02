package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hourglass.server.testing.TestingStore;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.tests.support.ActivityAttempts;
import dev.hourglass.tests.support.ClusterProbe;
import dev.hourglass.tests.support.CuttableTcpProxy;
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
 * The failover test, over and over: three server processes on one PostgreSQL database (each through
 * a proxy of its own), clients and workers on each, and round after round a batch of workflows
 * (activity, timer, signal, activity) started and, mid-flight, in turn: the active process killed
 * with SIGKILL and started again in place (it comes back as a standby); the database gone for 8 s
 * for every process, as in a restart; the active process partitioned from the database for 8 s. At the end every workflow of every round must have its
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
  /** Each process reaches the database through a proxy of its own, so a test can cut one or all. */
  private final List<CuttableTcpProxy> proxies = new ArrayList<>();

  /** What a round does to the cluster mid-flight, in turn. */
  private enum Disruption {
    /** SIGKILL of the active process, restarted in place afterwards. */
    KILL_ACTIVE,
    /** Every process loses the database for {@link #OUTAGE}, as in a database restart. */
    RESTART_DATABASE,
    /** The active process's answers from the database are lost for {@link #OUTAGE}: the others take over. */
    PARTITION_ACTIVE
  }

  private static final Duration OUTAGE = Duration.ofSeconds(8);

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
    proxies.forEach(CuttableTcpProxy::close);
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
      proxies.add(CuttableTcpProxy.inFrontOf((StoreConfig.Postgres) store.config()));
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
      long disruptedAt = System.nanoTime();
      Disruption disruption = Disruption.values()[(round - 1) % Disruption.values().length];
      SdkEnvironment survivor = environments.get((active + 1) % 3);
      switch (disruption) {
        case KILL_ACTIVE -> {
          processes.get(active).kill();
          signal(survivor, roundIds);
          // The killed process comes back in place, as a standby; its clients and workers reconnect.
          processes.set(active, start(active, ports[active], round));
        }
        case RESTART_DATABASE -> {
          proxies.forEach(CuttableTcpProxy::cut);
          Thread.sleep(OUTAGE.toMillis());
          proxies.forEach(CuttableTcpProxy::restore);
          signal(survivor, roundIds);
        }
        case PARTITION_ACTIVE -> {
          proxies.get(active).partition();
          signal(survivor, roundIds);
          long left = disruptedAt + OUTAGE.toNanos() - System.nanoTime();
          if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
          }
          proxies.get(active).restore();
        }
      }
      log.info("round {}: {} (process on port {}), signalled its workflows, back to normal after {} ms", round, disruption,
          ports[active], TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - disruptedAt));
    }

    for (String workflowId : workflowIds) {
      String result = environments.get(0).client().newUntypedWorkflowStub(workflowId).getResult(300, TimeUnit.SECONDS, String.class);
      String number = workflowId.substring(workflowId.lastIndexOf('-') + 1);
      assertThat(result).as("result of %s", workflowId).isEqualTo(number + "/first/r/second");
    }
    assertThat(EXECUTIONS.keys()).isEqualTo(2 * workflowIds.size());
    EXECUTIONS.assertNoneRanTwice(MAXIMUM_ATTEMPTS);
    log.info("{} workflows over {} disruptions; activity executions beyond the first attempt: {}", workflowIds.size(), ROUNDS,
        EXECUTIONS.retries());
  }

  /** Signals the round's workflows through a process that survives the disruption (the SDK retries through a failover). */
  private static void signal(SdkEnvironment survivor, List<String> workflowIds) {
    for (String workflowId : workflowIds) {
      survivor.client().newWorkflowStub(SoakWorkflow.class, workflowId).go("r");
    }
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
    return ServerProcess.start(proxies.get(index).route((StoreConfig.Postgres) store.config()), port, log);
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
