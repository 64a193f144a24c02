package dev.hourglass.tests;

import static dev.hourglass.tests.support.StepWorkflows.assertCompletedOnce;
import static dev.hourglass.tests.support.StepWorkflows.expectedResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.store.testing.TemporaryPostgresDatabase;
import dev.hourglass.tests.support.CuttableTcpProxy;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import dev.hourglass.tests.support.StepWorkflows.CountingActivities;
import dev.hourglass.tests.support.StepWorkflows.StepsWorkflow;
import dev.hourglass.tests.support.StepWorkflows.StepsWorkflowImpl;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network partition between the active process and the database, two processes in this JVM:
 * the active one reaches PostgreSQL through a proxy that, at the partition, goes on delivering
 * what the process sends but loses every answer — so statements the process sent are applied and
 * hold their locks while it never hears back, the worst moment of any partition. The standby,
 * which still reaches the database, must take the shards within seconds (the database ends the
 * cut-off process's open transactions instead of keeping their locks until its TCP timeouts), the
 * cut-off process must stop being active, and every workflow must complete once with a clean
 * history on the new active process — and the worker, connected to the survivor, must not notice
 * (the SDK logs no warning). When the network heals, the cut-off process comes back as a
 * standby and forwards again.
 */
@Timeout(240)
class ClusterPartitionIT {
  private static final Logger log = LoggerFactory.getLogger(ClusterPartitionIT.class);
  private static final String TASK_QUEUE = "partition";
  private static final int WORKFLOWS = 6;
  private static final int STEPS = 4;
  /** Lease expiry (5 s) plus one look by the standby, and room for a loaded machine; far below the writers' 60 s socket timeout. */
  private static final Duration TAKEOVER = Duration.ofSeconds(20);

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();
  private TemporaryPostgresDatabase database;
  private CuttableTcpProxy proxy;
  private final List<HourglassServer> servers = new ArrayList<>();
  private final List<SdkEnvironment> environments = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    environments.forEach(SdkEnvironment::close);
    servers.forEach(HourglassServer::close);
    if (proxy != null) {
      proxy.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void theProcessCutOffFromTheDatabaseGivesWayAndTheOtherTakesTheShardsWithNothingLostOrDoneTwice() throws Exception {
    assumeTrue(TemporaryPostgresDatabase.selected(), "the partition test runs on PostgreSQL (-Dhourglass.test.store=postgresql)");
    database = TemporaryPostgresDatabase.create();
    proxy = CuttableTcpProxy.inFrontOf(database.config());
    StoreConfig.Postgres throughProxy = proxy.route(database.config());

    HourglassServer cutOff = start(throughProxy);
    await("the first process is active").atMost(Duration.ofSeconds(30)).until(() -> cutOff.cluster().ownsShards());
    HourglassServer survivor = start(database.config());
    assertThat(survivor.cluster().ownsShards()).isFalse();

    // Clients and the worker reach the cluster through the process that keeps its database.
    SdkEnvironment sdk = connect(survivor);
    CountingActivities activities = new CountingActivities();
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(StepsWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities);
    });
    List<String> workflowIds = new ArrayList<>();
    for (int i = 0; i < WORKFLOWS; i++) {
      String workflowId = "partition-" + i;
      workflowIds.add(workflowId);
      WorkflowClient.start(sdk.client().newWorkflowStub(StepsWorkflow.class, WorkflowOptions.newBuilder()
          .setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build())::run, STEPS);
    }
    await("first steps done").atMost(Duration.ofSeconds(60)).until(() -> activities.total() >= WORKFLOWS);

    proxy.partition();
    long partitionedAtNanos = System.nanoTime();
    // Writes sent after the cut reach the database and open transactions there that the
    // cut-off process can never finish: the locks the new owner has to wait for.
    writeThroughTheCutOffProcess(sdk, Duration.ofSeconds(3));

    await("the process that reaches the database takes the shards").atMost(TAKEOVER).pollInterval(Duration.ofMillis(200))
        .until(() -> survivor.cluster().ownsShards());
    assertThat(cutOff.cluster().ownsShards()).as("the cut-off process gave the shards up").isFalse();
    long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - partitionedAtNanos);
    log.info("shards taken over {} ms after the partition", takeoverMillis);

    for (String workflowId : workflowIds) {
      String result = sdk.client().newUntypedWorkflowStub(workflowId).getResult(120, TimeUnit.SECONDS, String.class);
      assertThat(result).isEqualTo(expectedResult(workflowId, STEPS));
    }
    HistoryProbe histories = new HistoryProbe(sdk.client());
    for (String workflowId : workflowIds) {
      assertCompletedOnce(histories.events(workflowId), workflowId, STEPS);
    }

    // The worker, connected to the survivor, saw nothing of the failover: its polls were answered
    // "no task" while no process was active, its calls were retried quietly. The one warning
    // Temporal logs too: a task that finished during the failover reports after its timeout
    // fired (an activity's start-to-close, a workflow task's), and the server answers NOT_FOUND;
    // the activity attempt or the workflow task is then retried.
    assertThat(sdkLogs.eventsExcept(event -> (event.message().startsWith("Failure during reporting of activity result")
        || event.message().startsWith("Failure while reporting workflow progress")) && event.throwable().contains("NOT_FOUND")))
        .as("what the SDK logged at WARN or ERROR").isEmpty();

    // The network heals: the cut-off process is a standby now, and forwards to the new active one.
    proxy.restore();
    SdkEnvironment throughCutOff = connect(cutOff);
    await("the healed process forwards again").atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
        assertThat(throughCutOff.client().newUntypedWorkflowStub(workflowIds.get(0)).getResult(5, TimeUnit.SECONDS, String.class))
            .isEqualTo(expectedResult(workflowIds.get(0), STEPS)));
    assertThat(cutOff.cluster().ownsShards()).isFalse();
    assertThat(survivor.cluster().ownsShards()).isTrue();
  }

  /** Starts workflows through the survivor for a while; they are forwarded to the cut-off process and fail, which is expected. */
  private static void writeThroughTheCutOffProcess(SdkEnvironment sdk, Duration during) throws InterruptedException {
    long until = System.nanoTime() + during.toNanos();
    while (System.nanoTime() < until) {
      try {
        sdk.service().blockingStub().withDeadlineAfter(300, TimeUnit.MILLISECONDS).startWorkflowExecution(StartWorkflowExecutionRequest
            .newBuilder().setNamespace(SdkEnvironment.NAMESPACE).setWorkflowId("never-acknowledged-" + UUID.randomUUID())
            .setRequestId(UUID.randomUUID().toString()).setWorkflowType(WorkflowType.newBuilder().setName("StepsWorkflow"))
            .setTaskQueue(TaskQueue.newBuilder().setName("nobody-polls-this")).build());
      } catch (RuntimeException expected) {
        // unanswered: the process it was forwarded to cannot hear the database
      }
      Thread.sleep(100);
    }
  }

  private HourglassServer start(StoreConfig store) {
    HourglassServer server = HourglassServer.start(ServerOptions.defaults().withPort(0).withManagementPort(0).withStore(store));
    servers.add(server);
    return server;
  }

  private SdkEnvironment connect(HourglassServer server) {
    SdkEnvironment environment = SdkEnvironment.connect(server.target());
    environments.add(environment);
    return environment;
  }

}
