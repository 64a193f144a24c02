package dev.hourglass.timers;

import dev.hourglass.server.tls.ClientTls;
import dev.hourglass.timers.workflow.TimerWorkflowImpl;
import dev.hourglass.timers.workflow.WebhookActivitiesImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Temporal SDK objects: one connection and client for the process, and, when the role runs
 * a worker, a worker on the timers' task queue that starts with the application context and
 * stops before the connection closes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TimerServiceProperties.class)
class TemporalConfiguration {
  private static final Logger log = LoggerFactory.getLogger(TemporalConfiguration.class);
  static final Duration DEADLOCK_DETECTION_TIMEOUT = Duration.ofSeconds(5);

  @Bean(destroyMethod = "")
  WorkflowServiceStubs workflowServiceStubs(TimerServiceProperties properties, ObjectProvider<ClientTls> serverTls) {
    // Lazy: the first call connects, so the API starts even while the server is still coming up.
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
        .setTarget(properties.temporalAddress())
        .setRpcQueryTimeout(properties.queryTimeout());
    // Present when an embedded server's port serves TLS (TimerSystem registers it).
    serverTls.ifAvailable(tls -> tls.configure(options));
    return WorkflowServiceStubs.newServiceStubs(options.build());
  }

  @Bean
  WorkflowClient workflowClient(WorkflowServiceStubs stubs, TimerServiceProperties properties) {
    return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(properties.namespace()).build());
  }

  @Bean
  ConnectionLifecycle connectionLifecycle(WorkflowServiceStubs stubs, WorkflowClient client, TimerServiceProperties properties) {
    WorkerFactory factory = null;
    if (properties.role().runsWorker()) {
      factory = WorkerFactory.newInstance(client);
      Worker worker = factory.newWorker(properties.taskQueue(), WorkerOptions.newBuilder()
          // The SDK reports a workflow thread blocked over 1 s as a deadlock and fails the task;
          // on a busy machine class loading alone can take that long. Real deadlocks still show.
          .setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION_TIMEOUT.toMillis())
          .build());
      worker.registerWorkflowImplementationTypes(TimerWorkflowImpl.class);
      WebhookActivitiesImpl webhooks = new WebhookActivitiesImpl();
      worker.registerActivitiesImplementations(webhooks);
      WorkerWarmUp.run(worker, properties.taskQueue());
      webhooks.warmUp();
    }
    return new ConnectionLifecycle(stubs, factory, properties);
  }

  /**
   * Starts the worker (if any) once the context is up and, at close, stops it before closing the
   * connection: SmartLifecycle beans stop before singletons are destroyed, so in-flight calls
   * from the web layer finish first.
   */
  static final class ConnectionLifecycle implements SmartLifecycle {
    private final WorkflowServiceStubs stubs;
    private final WorkerFactory factory;
    private final TimerServiceProperties properties;
    private volatile boolean running;

    ConnectionLifecycle(WorkflowServiceStubs stubs, WorkerFactory factory, TimerServiceProperties properties) {
      this.stubs = stubs;
      this.factory = factory;
      this.properties = properties;
    }

    @Override
    public void start() {
      if (factory != null) {
        factory.start();
        log.atInfo().addKeyValue("taskQueue", properties.taskQueue()).addKeyValue("address", properties.temporalAddress())
            .log("Timer worker started");
      }
      running = true;
    }

    @Override
    public void stop() {
      running = false;
      if (factory != null) {
        factory.shutdown();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        factory.shutdownNow();
      }
      stubs.shutdown();
      stubs.awaitTermination(5, TimeUnit.SECONDS);
      stubs.shutdownNow();
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    /** Starts before the web server and stops after it (lower phases start first, stop last). */
    @Override
    public int getPhase() {
      return Integer.MIN_VALUE + 1000;
    }

    WorkerFactory workerFactory() {
      return factory;
    }
  }
}
