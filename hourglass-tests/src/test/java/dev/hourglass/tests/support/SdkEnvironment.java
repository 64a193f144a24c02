package dev.hourglass.tests.support;

import static java.util.Objects.requireNonNull;

import io.grpc.ClientInterceptor;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an application built on the official Temporal Java SDK holds: service stubs connected to one
 * server target, a {@link WorkflowClient} on namespace {@value #NAMESPACE}, and the worker factories
 * it started. {@link #close()} shuts the workers down first, then the connection; it is idempotent.
 *
 * <p>Not thread-safe for setup; tests build and close it from the test thread.
 */
public final class SdkEnvironment implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SdkEnvironment.class);
  public static final String NAMESPACE = "default";

  /** How long closing waits for workers and the channel to stop; a stuck worker fails the test run. */
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final List<WorkerFactory> workerFactories = new ArrayList<>();
  private boolean closed;

  private SdkEnvironment(WorkflowServiceStubs service) {
    this.service = requireNonNull(service, "service is null");
    this.client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
  }

  /** Connects lazily: the first RPC opens the channel, so the server may still be starting. */
  public static SdkEnvironment connect(String target) {
    return connect(target, List.of());
  }

  /** Like {@link #connect(String)}, with gRPC interceptors that observe every call the SDK makes. */
  public static SdkEnvironment connect(String target, List<ClientInterceptor> interceptors) {
    requireNonNull(target, "target is null");
    WorkflowServiceStubsOptions options = WorkflowServiceStubsOptions.newBuilder()
        .setTarget(target)
        .setGrpcClientInterceptors(List.copyOf(interceptors))
        .build();
    return new SdkEnvironment(WorkflowServiceStubs.newServiceStubs(options));
  }

  /**
   * Like {@link #connect(String)}, over TLS as an application connects to a server with
   * {@code --tls-cert-file}: {@code sslContext} from the SDK's {@code SimpleSslContextBuilder}.
   */
  public static SdkEnvironment connect(String target, SslContext sslContext) {
    requireNonNull(target, "target is null");
    requireNonNull(sslContext, "sslContext is null");
    return new SdkEnvironment(WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).setSslContext(sslContext).build()));
  }

  public WorkflowServiceStubs service() {
    return service;
  }

  public WorkflowClient client() {
    return client;
  }

  /** Starts a worker on {@code taskQueue} with the SDK's default options, in a factory of its own. */
  public WorkerFactory startWorker(String taskQueue, Consumer<Worker> registrations) {
    return startWorker(taskQueue, WorkerOptions.getDefaultInstance(), registrations);
  }

  /**
   * Starts a worker in a new {@link WorkerFactory}, which has its own workflow cache and sticky task
   * queue; shut the factory down to simulate a worker process going away.
   */
  public WorkerFactory startWorker(String taskQueue, WorkerOptions options, Consumer<Worker> registrations) {
    if (closed) {
      throw new IllegalStateException("environment is closed");
    }
    WorkerFactory factory = WorkerFactory.newInstance(client);
    registrations.accept(factory.newWorker(taskQueue, options));
    workerFactories.add(factory);
    factory.start();
    return factory;
  }

  /** Stops a worker factory the way a worker process stops on SIGTERM and waits until it has. */
  public static void shutdown(WorkerFactory factory) {
    long startNanos = System.nanoTime();
    factory.shutdown();
    factory.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    log.info("worker factory shut down in {} ms, terminated: {}",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), factory.isTerminated());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Graceful first, as an application stops its workers; interrupt whatever is still running after.
    for (WorkerFactory factory : workerFactories) {
      factory.shutdown();
    }
    for (WorkerFactory factory : workerFactories) {
      factory.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!factory.isTerminated()) {
        factory.shutdownNow();
        factory.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    service.shutdownNow();
    service.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
