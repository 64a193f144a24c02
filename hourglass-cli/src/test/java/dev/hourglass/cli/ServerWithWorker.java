package dev.hourglass.cli;

import dev.hourglass.server.testing.TestingHourglassServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A running server with a real SDK worker polling one task queue of namespace {@code default}, for
 * CLI commands that need workflows to run. Closing stops the worker, then the server.
 */
final class ServerWithWorker implements AutoCloseable {
  private final TestingHourglassServer server;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkerFactory workers;

  ServerWithWorker(Path directory, String taskQueue, Class<?>... workflowImplementations) {
    server = new TestingHourglassServer(directory);
    service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
    client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    workers = WorkerFactory.newInstance(client);
    workers.newWorker(taskQueue).registerWorkflowImplementationTypes(workflowImplementations);
    workers.start();
  }

  String target() {
    return server.target();
  }

  WorkflowClient client() {
    return client;
  }

  @Override
  public void close() {
    workers.shutdownNow();
    workers.awaitTermination(10, TimeUnit.SECONDS);
    service.shutdownNow();
    service.awaitTermination(10, TimeUnit.SECONDS);
    server.close();
  }
}
