package dev.hourglass.examples;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import picocli.CommandLine.Option;

/**
 * How an example reaches the server: plain SDK stubs, a client, and one worker in this process.
 * Nothing here is specific to Hourglass; pointed at a Temporal cluster the examples run the same.
 */
public final class Connection implements AutoCloseable {
  /** The options every example takes. */
  public static final class Options {
    @Option(names = "--address", defaultValue = "127.0.0.1:7233", description = "Server address (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--namespace", defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;
  }

  private final Options options;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkerFactory workers;

  public Connection(Options options) {
    this.options = options;
    this.service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(options.address).build());
    this.client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(options.namespace).build());
    this.workers = WorkerFactory.newInstance(client);
  }

  public WorkflowClient client() {
    return client;
  }

  public ScheduleClient schedules() {
    return ScheduleClient.newInstance(service, ScheduleClientOptions.newBuilder().setNamespace(options.namespace).build());
  }

  /** A worker on {@code taskQueue}; register workflows and activities, then call {@link #startWorkers()}. */
  public Worker newWorker(String taskQueue) {
    return workers.newWorker(taskQueue);
  }

  public void startWorkers() {
    workers.start();
  }

  /** Where the server's web UI shows this workflow (the UI listens on the gRPC port + 1000). */
  public String uiLink(String workflowId) {
    String host = options.address.substring(0, options.address.lastIndexOf(':'));
    int port = Integer.parseInt(options.address.substring(options.address.lastIndexOf(':') + 1)) + 1000;
    return "http://" + host + ":" + port + "/namespaces/" + options.namespace + "/workflows/" + workflowId;
  }

  @Override
  public void close() {
    workers.shutdown();
    workers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    service.shutdown();
  }
}
