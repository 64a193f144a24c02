package dev.hourglass.server.management;

import static java.util.Objects.requireNonNull;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the gRPC health service ({@code grpc.health.v1}) in step with {@link Readiness}: SERVING
 * when ready, NOT_SERVING otherwise (the store unreachable), for {@code ""} and the
 * WorkflowService name the SDK's {@code healthCheck()} asks about. Re-checked every 2 s on a
 * thread of its own, so a slow store check delays nothing else.
 */
public final class GrpcHealthReporter {
  static final String WORKFLOW_SERVICE = "temporal.api.workflowservice.v1.WorkflowService";
  private static final long INTERVAL_SECONDS = 2;

  private GrpcHealthReporter() {}

  /** Reports the current readiness at once and then every 2 s; shut the returned executor down to stop. */
  public static ScheduledExecutorService start(HealthStatusManager health, Readiness readiness) {
    requireNonNull(health, "health is null");
    requireNonNull(readiness, "readiness is null");
    report(health, readiness.check());
    ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "hourglass-readiness");
      thread.setDaemon(true);
      return thread;
    });
    checks.scheduleWithFixedDelay(() -> report(health, readiness.check()), INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    return checks;
  }

  private static void report(HealthStatusManager health, Readiness.Report report) {
    ServingStatus status = report.ready() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.setStatus(WORKFLOW_SERVICE, status);
    health.setStatus("", status);
  }
}
