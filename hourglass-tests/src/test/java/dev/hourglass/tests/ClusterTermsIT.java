package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hourglass.server.EngineInstance;
import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.server.testing.TestingStore;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.tests.support.ManagementEndpoints;
import dev.hourglass.tests.support.SdkEnvironment;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.GetClusterInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ownership terms on a shared PostgreSQL database, with two processes in this JVM: the shards'
 * leases are handed to a process that does not exist (as when another process won them), so the
 * active process ends its term and, until the leases expire, no process is active. Meanwhile both
 * still answer GetSystemInfo and GetClusterInfo themselves, and answer a worker's poll "no task"
 * rather than failing it; once the leases are free again the
 * first process wins the shards back and its metrics are its new term's.
 */
@Timeout(120)
class ClusterTermsIT {
  private static final int SHARDS = 16;
  private static final String TASK_QUEUE = "no-worker-yet";

  @TempDir Path dataDir;
  private TestingStore store;
  private final List<HourglassServer> servers = new ArrayList<>();
  private SdkEnvironment sdk;

  @AfterEach
  void stop() {
    if (sdk != null) {
      sdk.close();
    }
    servers.forEach(HourglassServer::close);
    if (store != null) {
      store.close();
    }
  }

  @Test
  void withNoActiveProcessEachAnswersSystemInfoAndTheProcessThatWinsTheShardsBackReportsItsNewTerm() throws Exception {
    store = TestingStore.create(dataDir);
    assumeTrue(store.config() instanceof StoreConfig.Postgres, "only processes on PostgreSQL share a database");
    HourglassServer first = start(SHARDS);
    // Asks for another shard count: the database keeps the one it was created with, and so do the answers.
    HourglassServer second = start(4);
    assertThat(first.cluster().ownsShards()).isTrue();
    assertThat(second.cluster().ownsShards()).isFalse();
    EngineInstance firstTerm = first.cluster().engine().orElseThrow();

    execute("UPDATE shard_leases SET owner = 'a-process-that-is-gone', "
        + "expires_at = (extract(epoch from clock_timestamp()) * 1000)::bigint + 600000");
    await().atMost(30, TimeUnit.SECONDS).until(() -> !first.cluster().ownsShards());
    assertThat(second.cluster().ownsShards()).as("the leases are live: nobody may take them").isFalse();
    for (HourglassServer server : List.of(first, second)) {
      try (SdkEnvironment client = SdkEnvironment.connect(server.target())) {
        WorkflowServiceGrpc.WorkflowServiceBlockingStub stub = client.service().blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(stub.getSystemInfo(GetSystemInfoRequest.getDefaultInstance()).getServerVersion()).isEqualTo(HourglassServer.VERSION);
        assertThat(stub.getClusterInfo(GetClusterInfoRequest.getDefaultInstance()).getHistoryShardCount()).isEqualTo(SHARDS);
        // A worker's poll meanwhile finds "no task" after a short hold, as at the end of a long
        // poll, rather than failing: the SDK would log every failed poll as a warning.
        long startedNanos = System.nanoTime();
        PollWorkflowTaskQueueResponse poll = stub.pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE).setTaskQueue(TaskQueue.newBuilder().setName(TASK_QUEUE)).setIdentity("terms-test").build());
        assertThat(poll.getTaskToken().isEmpty()).as("no task").isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)).as("held, not a tight loop").isGreaterThanOrEqualTo(1_500);
      }
    }

    second.close();
    execute("UPDATE shard_leases SET expires_at = 0");
    await().atMost(30, TimeUnit.SECONDS).until(() -> first.cluster().engine().filter(engine -> engine != firstTerm).isPresent());
    sdk = SdkEnvironment.connect(first.target());
    sdk.client().newUntypedWorkflowStub("Anything", WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
        .setWorkflowId("after-the-shards-came-back").build()).start();

    ManagementEndpoints management = new ManagementEndpoints(first.managementPort().orElseThrow());
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(management.sample("task_queue_store_backlog_queues{task_type=\"workflow\"}"))
        .as("the new term's task queue, not the first term's (which had none)").isEqualTo(1));
    assertThat(management.sample("shard_acquisitions_total")).isEqualTo(2 * SHARDS);
    assertThat(management.sample("shard_losses_total")).isEqualTo(SHARDS);
  }

  private HourglassServer start(int shardCount) {
    HourglassServer server = HourglassServer.start(ServerOptions.defaults().withPort(0).withManagementPort(0).withStore(store.config())
        .withShardCount(shardCount));
    servers.add(server);
    return server;
  }

  private void execute(String sql) throws SQLException {
    StoreConfig.Postgres postgres = (StoreConfig.Postgres) store.config();
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }
}
