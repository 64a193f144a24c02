package dev.hourglass.cli.client;

import static java.util.Objects.requireNonNull;

import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One command's connection to the server, through Temporal's service stubs (the SDK's own
 * channel setup, TLS and deadlines). The channel opens on the first call, so a server that is not
 * running shows up as UNAVAILABLE from that call.
 */
public final class Connection implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final WorkflowServiceStubs workflowStubs;
  private OperatorServiceStubs operatorStubs;

  private Connection(WorkflowServiceStubs workflowStubs) {
    this.workflowStubs = requireNonNull(workflowStubs, "workflowStubs is null");
  }

  /**
   * @throws InvalidSettingsException when a TLS file cannot be read or a client certificate lacks its key
   */
  public static Connection open(ConnectionSettings settings) {
    requireNonNull(settings, "settings is null");
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(settings.address());
    settings.tls().ifPresent(tls -> tls.clientTls().configure(options));
    return new Connection(WorkflowServiceStubs.newServiceStubs(options.build()));
  }

  public WorkflowServiceGrpc.WorkflowServiceBlockingStub workflowService() {
    return workflowStubs.blockingStub();
  }

  /** The channel itself, for services without stubs of their own (Hourglass's cluster service). */
  public io.grpc.Channel channel() {
    return workflowStubs.getRawChannel();
  }

  /** The OperatorService on the same channel. */
  public synchronized OperatorServiceGrpc.OperatorServiceBlockingStub operatorService() {
    if (operatorStubs == null) {
      operatorStubs = OperatorServiceStubs.newServiceStubs(
          OperatorServiceStubsOptions.newBuilder().setChannel(workflowStubs.getRawChannel()).validateAndBuildWithDefaults());
    }
    return operatorStubs.blockingStub();
  }

  @Override
  public synchronized void close() {
    if (operatorStubs != null) {
      operatorStubs.shutdownNow();
    }
    workflowStubs.shutdownNow();
    workflowStubs.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
