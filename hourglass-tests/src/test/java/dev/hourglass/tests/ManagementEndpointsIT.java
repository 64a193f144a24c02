package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.server.ServerStartException;
import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.ManagementEndpoints;
import dev.hourglass.tests.support.SdkEnvironment;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management port as a Prometheus scraper and a load balancer's probes see it: after a
 * workflow with an activity and a timer ran, {@code /metrics} has the RPC (latency, errors),
 * matching (backlog, dispatch latency), timer (lag), store (transaction latency, fencing failures,
 * conflicts) and shard (acquired, lost) series with values that match what happened; {@code /health/live} and
 * {@code /health/ready} answer 200, and the gRPC health service SERVING.
 */
@Timeout(120)
class ManagementEndpointsIT {
  private static final String TASK_QUEUE = "management";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface GreetingWorkflow {
    @WorkflowMethod
    String greet(String name);
  }

  @ActivityInterface
  public interface GreetingActivities {
    String hello(String name);
  }

  public static class GreetingWorkflowImpl implements GreetingWorkflow {
    @Override
    public String greet(String name) {
      GreetingActivities activities = Workflow.newActivityStub(GreetingActivities.class,
          // Not eagerly: the activity goes through matching, as the dispatch latency series should show.
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).setDisableEagerExecution(true).build());
      Workflow.sleep(Duration.ofMillis(200));
      return activities.hello(name);
    }
  }

  @AfterEach
  void stop() {
    if (sdk != null) {
      sdk.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void metricsAndHealthAfterAWorkflow() throws Exception {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(GreetingWorkflowImpl.class);
      worker.registerActivitiesImplementations((GreetingActivities) name -> "Hello, " + name);
    });
    String result = sdk.client().newWorkflowStub(GreetingWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("metrics-1").build()).greet("metrics");
    assertThat(result).isEqualTo("Hello, metrics");
    StatusRuntimeException notFound = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
        () -> sdk.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId("no-such-workflow")).build()));
    assertThat(notFound.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);

    ManagementEndpoints management = new ManagementEndpoints(server.managementPort());
    ManagementEndpoints.Response metrics = management.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");

    assertThat(management.sample("service_requests_total{operation=\"StartWorkflowExecution\"}")).isEqualTo(1);
    assertThat(management.sample("service_latency_seconds_count{operation=\"StartWorkflowExecution\"}")).isEqualTo(1);
    assertThat(management.sample("service_latency_seconds_sum{operation=\"StartWorkflowExecution\"}")).isGreaterThan(0);
    assertThat(management.sample("service_requests_total{operation=\"RespondActivityTaskCompleted\"}")).isEqualTo(1);
    assertThat(management.sample("service_errors_total{operation=\"DescribeWorkflowExecution\",status_code=\"NOT_FOUND\"}"))
        .isEqualTo(1);
    assertThat(management.sample("service_errors_total{operation=\"StartWorkflowExecution\",status_code=\"NOT_FOUND\"}"))
        .as("no error series for calls that did not fail").isEqualTo(-1);
    // Workflow tasks: the first, the one after the timer, the one after the activity.
    assertThat(management.sample("task_schedule_to_start_latency_seconds_count{task_type=\"workflow\"}")).isGreaterThanOrEqualTo(3);
    assertThat(management.sample("task_schedule_to_start_latency_seconds_count{task_type=\"activity\"}")).isEqualTo(1);
    assertThat(management.sample("task_queue_buffered_tasks{task_type=\"activity\"}")).isEqualTo(0);
    assertThat(management.sample("timer_lag_seconds_count")).isGreaterThanOrEqualTo(1);
    assertThat(management.sample("persistence_commit_latency_seconds_count")).isGreaterThanOrEqualTo(5);
    assertThat(management.sample("persistence_commit_batch_size_sum"))
        .isGreaterThanOrEqualTo(management.sample("persistence_commit_batch_size_count"));
    assertThat(management.sample("persistence_available")).isEqualTo(1);
    assertThat(management.sample("persistence_outages_total")).isEqualTo(0);
    assertThat(management.sample("shard_acquisitions_total")).isEqualTo(ServerOptions.DEFAULT_SHARD_COUNT);
    assertThat(management.sample("shard_losses_total")).as("ownership moves: none while this process runs").isEqualTo(0);
    // Fencing failures and version conflicts: series present (none expected of one process), so an alert can watch them.
    assertThat(management.sample("persistence_write_failures_total{reason=\"fenced\"}")).isEqualTo(0);
    assertThat(management.sample("persistence_write_failures_total{reason=\"conflict\"}")).isGreaterThanOrEqualTo(0);
    assertThat(management.sample("task_queue_waiting_pollers{task_type=\"workflow\"}")).isGreaterThanOrEqualTo(0);
    assertThat(management.sample("task_queue_store_backlog_queues{task_type=\"workflow\"}")).isGreaterThanOrEqualTo(0);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections");

    // The stored backlog, counted in the background: workflow tasks on a queue no worker polls.
    for (int i = 0; i < 3; i++) {
      sdk.client().newUntypedWorkflowStub("Unserved", WorkflowOptions.newBuilder().setTaskQueue("nobody-polls-this")
          .setWorkflowId("backlog-" + i).build()).start();
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(management.sample("task_queue_backlog_tasks{task_type=\"workflow\"}")).isEqualTo(3));
    assertThat(management.sample("task_queue_backlog_tasks{task_type=\"activity\"}")).isEqualTo(0);

    assertThat(management.get("/health/live").status()).isEqualTo(200);
    ManagementEndpoints.Response ready = management.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.contentType()).isEqualTo("application/json");
    JsonNode readiness = JSON.readTree(ready.body());
    assertThat(readiness.get("status").asText()).isEqualTo("ready");
    assertThat(readiness.get("problems")).isEmpty();
    assertThat(readiness.get("shardsOwned").asInt()).isEqualTo(ServerOptions.DEFAULT_SHARD_COUNT);
    assertThat(management.get("/nothing-here").status()).isEqualTo(404);
    HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.managementPort() + "/metrics")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);

    assertThat(HealthGrpc.newBlockingStub(sdk.service().getRawChannel()).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService("temporal.api.workflowservice.v1.WorkflowService").build()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void embeddedServersServeNoManagementPortUnlessAsked() {
    try (HourglassServer embedded = HourglassServer.start(ServerOptions.defaults().withPort(0).withDbFile(dataDir.resolve("off.db")))) {
      assertThat(embedded.managementPort()).isEmpty();
    }
  }

  @Test
  void aTakenManagementPortFailsTheStartWithAClearMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      ServerOptions options = ServerOptions.defaults().withPort(0).withManagementPort(taken.getLocalPort())
          .withDbFile(dataDir.resolve("taken.db"));
      assertThatThrownBy(() -> HourglassServer.start(options))
          .isInstanceOf(ServerStartException.class)
          .hasMessage("Cannot start: management port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
    }
  }
}
