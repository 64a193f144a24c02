package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.hourglass.server.testing.TestingStore;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.tests.support.ClusterProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.ServerProcess;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.GetClusterInfoRequest;
import io.temporal.api.workflowservice.v1.GetClusterInfoResponse;
import io.temporal.client.WorkflowOptions;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes pointed at one store. A second process must never let two processes write
 * one shard: on SQLite it refuses to start (the file is locked); on PostgreSQL it joins as a
 * standby — the first keeps the shards, the second forwards its clients' calls to it — and takes
 * the shards over when the first stops.
 */
@Timeout(120)
class SharedStoreIT {
  private static final String TASK_QUEUE = "shared-store";

  @TempDir Path dataDir;
  private TestingStore store;
  private final List<ServerProcess> processes = new ArrayList<>();
  private final List<SdkEnvironment> environments = new ArrayList<>();

  @WorkflowInterface
  public interface GreetingWorkflow {
    @WorkflowMethod
    String greet(String name);
  }

  public static class GreetingWorkflowImpl implements GreetingWorkflow {
    @Override
    public String greet(String name) {
      Workflow.sleep(Duration.ofMillis(100));
      return "hello " + name;
    }
  }

  @AfterEach
  void stopEverything() {
    environments.forEach(SdkEnvironment::close);
    processes.forEach(ServerProcess::close);
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aSecondProcessOnTheSameStoreIsAStandbyThatTakesOverWhenTheFirstStops() throws Exception {
    store = TestingStore.create(dataDir);
    Path logs = Files.createDirectories(Path.of("target", "server-logs"));
    Path firstLog = logs.resolve("SharedStoreIT-first.log");
    Path secondLog = logs.resolve("SharedStoreIT-second.log");
    Files.deleteIfExists(firstLog);
    Files.deleteIfExists(secondLog);
    ServerProcess first = start(firstLog);
    SdkEnvironment onFirst = connect(first);
    assertThat(greet(onFirst, "before")).isEqualTo("hello before");

    GetClusterInfoResponse info = onFirst.service().blockingStub().getClusterInfo(GetClusterInfoRequest.getDefaultInstance());
    assertThat(info.getHistoryShardCount()).isEqualTo(16);
    assertThat(info.getPersistenceStore()).isEqualTo(store.config() instanceof StoreConfig.Sqlite ? "sqlite" : "postgresql");

    if (store.config() instanceof StoreConfig.Sqlite) {
      IllegalStateException refused = catchThrowableOfType(() -> start(secondLog), IllegalStateException.class);
      assertThat(refused).hasMessageContaining("in use by another Hourglass process");
      assertThat(greet(onFirst, "still-first")).isEqualTo("hello still-first");
      return;
    }

    ServerProcess second = start(secondLog);
    String firstMember = ClusterProbe.describe(first.target()).self();
    assertThat(ClusterProbe.describe(second.target()).activeMember()).as("the second process is a standby").isEqualTo(firstMember);
    assertThat(greet(onFirst, "still-first")).isEqualTo("hello still-first");
    SdkEnvironment onSecond = connect(second);
    assertThat(greet(onSecond, "through-second")).as("forwarded to the active process").isEqualTo("hello through-second");
    assertThat(Files.readString(firstLog)).doesNotContain("was taken by another Hourglass process");

    // A clean stop releases the leases: the standby takes the shards at once, not after their expiry.
    first.close();
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(ClusterProbe.describe(second.target()).activeMember()).isEqualTo(ClusterProbe.describe(second.target()).self()));
    assertThat(greet(onSecond, "after")).isEqualTo("hello after");
    assertThat(onSecond.client().newUntypedWorkflowStub("before").describe().getWorkflowExecutionInfo().getStatus())
        .as("the first process's workflow, read through the second").isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  }

  private ServerProcess start(Path log) {
    ServerProcess process = ServerProcess.start(store.config(), ServerProcess.freePort(), log);
    processes.add(process);
    return process;
  }

  private SdkEnvironment connect(ServerProcess process) {
    SdkEnvironment environment = SdkEnvironment.connect(process.target());
    environments.add(environment);
    environment.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(GreetingWorkflowImpl.class));
    return environment;
  }

  private static String greet(SdkEnvironment environment, String name) {
    GreetingWorkflow workflow = environment.client().newWorkflowStub(GreetingWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(name).build());
    return workflow.greet(name);
  }
}
