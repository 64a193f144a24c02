package dev.hourglass.bench;

import static java.util.Objects.requireNonNull;

import dev.hourglass.bench.BenchWorkflows.ActivityWorkflowImpl;
import dev.hourglass.bench.BenchWorkflows.EchoActivityImpl;
import dev.hourglass.bench.BenchWorkflows.EmptyWorkflowImpl;
import dev.hourglass.bench.BenchWorkflows.SleepWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.util.concurrent.TimeUnit;

/**
 * One client connection to the server under test and, once {@link #startWorker} is called, the
 * in-process worker polling the run's task queue. Client and worker share the connection, as they
 * do in a small application. Closing stops the worker, then the connection, each within a bound.
 */
final class BenchConnection implements AutoCloseable {
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  // Set by startWorker; only the command's main thread touches it.
  private WorkerFactory workerFactory;

  private BenchConnection(WorkflowServiceStubs service, WorkflowClient client) {
    this.service = requireNonNull(service, "service is null");
    this.client = requireNonNull(client, "client is null");
  }

  static BenchConnection open(LoopbackAddress address, String namespace) {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address.grpcTarget()).build());
    WorkflowClient client = WorkflowClient.newInstance(
        service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    return new BenchConnection(service, client);
  }

  WorkflowServiceStubs service() {
    return service;
  }

  WorkflowClient client() {
    return client;
  }

  /** Starts a worker on {@code taskQueue} serving every benchmark workflow and the echo activity. */
  void startWorker(String taskQueue, WorkerTuning tuning) {
    if (workerFactory != null) {
      throw new IllegalStateException("worker already started");
    }
    WorkerFactory factory = WorkerFactory.newInstance(client, tuning.factoryOptions());
    Worker worker = factory.newWorker(taskQueue, tuning.workerOptions());
    worker.registerWorkflowImplementationTypes(ActivityWorkflowImpl.class, EmptyWorkflowImpl.class, SleepWorkflowImpl.class);
    worker.registerActivitiesImplementations(new EchoActivityImpl());
    factory.start();
    workerFactory = factory;
  }

  @Override
  public void close() throws InterruptedException {
    try {
      if (workerFactory != null) {
        // Every workflow is over (or given up on) by now: nothing in flight is worth waiting
        // for, and a graceful shutdown would sit out the pollers' long polls.
        workerFactory.shutdownNow();
        workerFactory.awaitTermination(10, TimeUnit.SECONDS);
      }
    } finally {
      service.shutdownNow();
      service.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
