package dev.hourglass.tests;

import static dev.hourglass.tests.support.StepWorkflows.assertCompletedOnce;
import static dev.hourglass.tests.support.StepWorkflows.expectedResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.store.testing.TemporaryPostgresDatabase;
import dev.hourglass.tests.support.CuttableTcpProxy;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.ManagementEndpoints;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.StepWorkflows.CountingActivities;
import dev.hourglass.tests.support.StepWorkflows.StepsWorkflow;
import dev.hourglass.tests.support.StepWorkflows.StepsWorkflowImpl;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
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

/**
 * The database goes away mid-flight and comes back: workflows with activities and timers are
 * running, the connection to PostgreSQL is cut for about ten seconds by a proxy in front of it
 * (the machine's PostgreSQL itself stays up for everyone else), and meanwhile RPCs fail at once
 * with UNAVAILABLE and a message naming the database, readiness says 503 and gRPC health
 * NOT_SERVING. Once the connection is back the server resumes by itself and every workflow
 * completes once, with the right result and a clean history. PostgreSQL only: a SQLite file cannot
 * become unreachable.
 */
@Timeout(240)
class DatabaseOutageIT {
  private static final String TASK_QUEUE = "outage";
  private static final int WORKFLOWS = 8;
  private static final int STEPS = 4;
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  private TemporaryPostgresDatabase database;
  private CuttableTcpProxy proxy;
  private HourglassServer server;
  private SdkEnvironment sdk;

  @AfterEach
  void stopEverything() {
    if (sdk != null) {
      sdk.close();
    }
    if (server != null) {
      server.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void serverFailsFastDuringAnOutageAndResumesWithNothingLostOrDoneTwice() throws Exception {
    assumeTrue(TemporaryPostgresDatabase.selected(), "the database outage test runs on PostgreSQL (-Dhourglass.test.store=postgresql)");
    database = TemporaryPostgresDatabase.create();
    proxy = CuttableTcpProxy.inFrontOf(database.config());
    StoreConfig.Postgres throughProxy = proxy.route(database.config());
    server = HourglassServer.start(ServerOptions.defaults().withPort(0).withManagementPort(0).withStore(throughProxy));
    ManagementEndpoints management = new ManagementEndpoints(server.managementPort().orElseThrow());
    sdk = SdkEnvironment.connect(server.target());
    CountingActivities activities = new CountingActivities();
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(StepsWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities);
    });
    assertThat(management.get("/health/ready").status()).isEqualTo(200);

    List<String> workflowIds = new ArrayList<>();
    for (int i = 0; i < WORKFLOWS; i++) {
      String workflowId = "outage-" + i;
      workflowIds.add(workflowId);
      WorkflowClient.start(sdk.client().newWorkflowStub(StepsWorkflow.class, WorkflowOptions.newBuilder()
          .setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).setWorkflowTaskTimeout(Duration.ofSeconds(3)).build())::run, STEPS);
    }
    // Mid-flight: every workflow has done some work, none is done.
    await("first steps done").atMost(Duration.ofSeconds(60)).until(() -> activities.total() >= WORKFLOWS);

    proxy.cut();
    long cutAtNanos = System.nanoTime();
    await("readiness reports the outage").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> management.get("/health/ready").status() == 503);
    ManagementEndpoints.Response notReady = management.get("/health/ready");
    assertThat(notReady.body()).contains("not ready").contains("unreachable");
    assertThat(management.get("/health/live").status()).isEqualTo(200);
    await("gRPC health reports NOT_SERVING").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> grpcHealth() == ServingStatus.NOT_SERVING);

    // A write and a read that both need the database: UNAVAILABLE with a clear message, well
    // within the deadline (a call that waited on the connection pool would run into it instead).
    StatusRuntimeException start = catchThrowableOfType(StatusRuntimeException.class, () -> sdk.service().blockingStub()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE).setWorkflowId("outage-late").setRequestId(UUID.randomUUID().toString())
            .setWorkflowType(WorkflowType.newBuilder().setName("StepsWorkflow"))
            .setTaskQueue(TaskQueue.newBuilder().setName(TASK_QUEUE)).build()));
    assertThat(start.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(start.getStatus().getDescription()).contains("PostgreSQL database").contains("unreachable");
    StatusRuntimeException describe = catchThrowableOfType(StatusRuntimeException.class, () -> sdk.service().blockingStub()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(SdkEnvironment.NAMESPACE)
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId("never-started")).build()));
    assertThat(describe.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(describe.getStatus().getDescription()).contains("unreachable");

    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAtNanos);
    if (elapsedMillis < OUTAGE.toMillis()) {
      // Timers come due and activities finish (their completions fail) while the database is away.
      sleep(OUTAGE.toMillis() - elapsedMillis);
    }
    proxy.restore();

    await("readiness recovers").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> management.get("/health/ready").status() == 200);
    for (String workflowId : workflowIds) {
      String result = sdk.client().newUntypedWorkflowStub(workflowId).getResult(120, TimeUnit.SECONDS, String.class);
      assertThat(result).isEqualTo(expectedResult(workflowId, STEPS));
    }
    HistoryProbe histories = new HistoryProbe(sdk.client());
    for (String workflowId : workflowIds) {
      assertCompletedOnce(histories.events(workflowId), workflowId, STEPS);
    }
    assertThat(grpcHealth()).isEqualTo(ServingStatus.SERVING);
    assertThat(management.sample("persistence_outages_total")).isGreaterThanOrEqualTo(1);
    assertThat(management.sample("persistence_available")).isEqualTo(1);
  }

  private ServingStatus grpcHealth() {
    return HealthGrpc.newBlockingStub(sdk.service().getRawChannel()).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService("temporal.api.workflowservice.v1.WorkflowService").build()).getStatus();
  }


  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
