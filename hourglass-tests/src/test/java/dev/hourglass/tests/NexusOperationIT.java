package dev.hourglass.tests;

import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_NEXUS_OPERATION_CANCELED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_NEXUS_OPERATION_STARTED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import io.nexusrpc.Operation;
import io.nexusrpc.Service;
import io.nexusrpc.handler.HandlerException;
import io.nexusrpc.handler.OperationHandler;
import io.nexusrpc.handler.OperationImpl;
import io.nexusrpc.handler.ServiceImpl;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.nexus.v1.EndpointSpec;
import io.temporal.api.nexus.v1.EndpointTarget;
import io.temporal.api.operatorservice.v1.CreateNexusEndpointRequest;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.failure.NexusOperationFailure;
import io.temporal.nexus.Nexus;
import io.temporal.nexus.TemporalOperationHandler;
import io.temporal.nexus.WorkflowRunOperation;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.NexusOperationHandle;
import io.temporal.workflow.NexusOperationOptions;
import io.temporal.workflow.NexusServiceOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nexus operations between a caller workflow and a handler worker, both served by Hourglass: a
 * synchronous operation, an operation backed by a workflow (its result comes by the internal
 * completion callback), handler errors (retried or not), cancel, timeout, and a restart while an
 * operation runs.
 */
@Timeout(90)
class NexusOperationIT {
  private static final String CALLER_QUEUE = "nexus-caller";
  private static final String HANDLER_QUEUE = "nexus-handler";
  private static final String ENDPOINT = "greetings-endpoint";
  /** An endpoint whose handler worker serves another namespace. */
  private static final String FAR_ENDPOINT = "far-greetings-endpoint";
  private static final String FAR_NAMESPACE = "nexus-far";
  /** Attempts the flaky operation saw: it fails twice with a retryable error, then answers. */
  private static final AtomicInteger FLAKY_ATTEMPTS = new AtomicInteger();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @Service
  public interface GreetingService {
    /** Answers at once: "bad" is a non-retryable handler error, "flaky" fails twice with a retryable one. */
    @Operation
    String hello(String name);

    /** Starts {@link HandlerWorkflow} and answers when it ends. */
    @Operation
    String greetLater(String name);

    /** Updates the running {@link HandlerWorkflow} "handler-keeper" and answers when the update completes. */
    @Operation
    String remember(String value);
  }

  @ServiceImpl(service = GreetingService.class)
  public static class GreetingServiceImpl {
    @OperationImpl
    public OperationHandler<String, String> hello() {
      return OperationHandler.sync((context, details, name) -> {
        if (name.equals("bad")) {
          throw new HandlerException(HandlerException.ErrorType.BAD_REQUEST, "no bad names");
        }
        if (name.equals("flaky") && FLAKY_ATTEMPTS.incrementAndGet() < 3) {
          throw new HandlerException(HandlerException.ErrorType.INTERNAL, "try again");
        }
        return "Hello " + name;
      });
    }

    @OperationImpl
    public OperationHandler<String, String> greetLater() {
      return WorkflowRunOperation.fromWorkflowMethod((context, details, name) -> Nexus.getOperationContext().getWorkflowClient()
          .newWorkflowStub(HandlerWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId("handler-" + name).build())::greet);
    }

    @OperationImpl
    public OperationHandler<String, String> remember() {
      return TemporalOperationHandler.create((context, client, value) -> client.startWorkflowUpdate(HandlerWorkflow.class,
          "handler-keeper", HandlerWorkflow::remember, value,
          UpdateOptions.newBuilder(String.class).setUpdateName("remember").setWaitForStage(WorkflowUpdateStage.ACCEPTED).build()));
    }
  }

  @WorkflowInterface
  public interface HandlerWorkflow {
    /** "block…" waits for {@link #release}; otherwise it greets at once. */
    @WorkflowMethod
    String greet(String name);

    @SignalMethod
    void release();

    /** Completes once the workflow is released. */
    @UpdateMethod
    String remember(String value);
  }

  public static class HandlerWorkflowImpl implements HandlerWorkflow {
    private boolean released;

    @Override
    public String remember(String value) {
      Workflow.await(() -> released);
      return "remembered " + value;
    }

    @Override
    public String greet(String name) {
      if (name.startsWith("block")) {
        Workflow.await(() -> released);
      }
      return "Hello later " + name;
    }

    @Override
    public void release() {
      released = true;
    }
  }

  @WorkflowInterface
  public interface CallerWorkflow {
    /** "sync:NAME", "async:NAME", "update:VALUE", "far:NAME", "cancel:NAME" or "timeout:NAME"; answers the result or what the failure was. */
    @WorkflowMethod
    String call(String scenario);
  }

  public static class CallerWorkflowImpl implements CallerWorkflow {
    @Override
    public String call(String scenario) {
      String kind = scenario.substring(0, scenario.indexOf(':'));
      String name = scenario.substring(scenario.indexOf(':') + 1);
      NexusOperationOptions.Builder operationOptions = NexusOperationOptions.newBuilder();
      if (kind.equals("timeout")) {
        operationOptions.setScheduleToCloseTimeout(Duration.ofSeconds(2));
      }
      GreetingService service = Workflow.newNexusServiceStub(GreetingService.class, NexusServiceOptions.newBuilder()
          .setEndpoint(kind.equals("far") ? FAR_ENDPOINT : ENDPOINT).setOperationOptions(operationOptions.build()).build());
      try {
        return switch (kind) {
          case "sync" -> service.hello(name);
          case "async", "timeout", "far" -> service.greetLater(name);
          case "update" -> service.remember(name);
          case "cancel" -> {
            CancellationScope scope = Workflow.newCancellationScope(() -> {
              NexusOperationHandle<String> handle = Workflow.startNexusOperation(service::greetLater, name);
              handle.getExecution().get();
              CancellationScope.current().cancel();
              handle.getResult().get();
            });
            scope.run();
            yield "not canceled";
          }
          default -> throw new IllegalArgumentException(scenario);
        };
      } catch (NexusOperationFailure e) {
        return "failed: " + e.getCause().getClass().getSimpleName();
      }
    }
  }

  @BeforeEach
  void start() {
    FLAKY_ATTEMPTS.set(0);
    server = new TestingHourglassServer(dataDir, List.of(FAR_NAMESPACE));
    sdk = SdkEnvironment.connect(server.target());
    createEndpoint(ENDPOINT, SdkEnvironment.NAMESPACE);
    createEndpoint(FAR_ENDPOINT, FAR_NAMESPACE);
    sdk.startWorker(CALLER_QUEUE, worker -> worker.registerWorkflowImplementationTypes(CallerWorkflowImpl.class));
    sdk.startWorker(HANDLER_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(HandlerWorkflowImpl.class);
      worker.registerNexusServiceImplementation(new GreetingServiceImpl());
    });
  }

  private void createEndpoint(String name, String namespace) {
    OperatorServiceGrpc.newBlockingStub(sdk.service().getRawChannel()).createNexusEndpoint(CreateNexusEndpointRequest.newBuilder()
        .setSpec(EndpointSpec.newBuilder().setName(name).setTarget(EndpointTarget.newBuilder().setWorker(
            EndpointTarget.Worker.newBuilder().setNamespace(namespace).setTaskQueue(HANDLER_QUEUE))))
        .build());
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  @Test
  void synchronousOperationAnswersAtOnce() {
    assertThat(call("sync-1", "sync:Ada")).isEqualTo("Hello Ada");
    assertThat(nexusEvents("sync-1")).containsExactly(EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, EVENT_TYPE_NEXUS_OPERATION_COMPLETED);
  }

  @Test
  void handlerErrorsAreRetriedUnlessTheyMayNotBe() {
    assertThat(call("flaky-1", "sync:flaky")).isEqualTo("Hello flaky");
    assertThat(FLAKY_ATTEMPTS.get()).isEqualTo(3);
    assertThat(nexusEvents("flaky-1")).containsExactly(EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, EVENT_TYPE_NEXUS_OPERATION_COMPLETED);

    assertThat(call("bad-1", "sync:bad")).isEqualTo("failed: HandlerException");
    assertThat(nexusEvents("bad-1")).containsExactly(EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, EVENT_TYPE_NEXUS_OPERATION_FAILED);
  }

  @Test
  void workflowBackedOperationCompletesWhenItsWorkflowDoes() {
    assertThat(call("async-1", "async:Bob")).isEqualTo("Hello later Bob");
    assertThat(nexusEvents("async-1")).containsExactly(EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, EVENT_TYPE_NEXUS_OPERATION_STARTED,
        EVENT_TYPE_NEXUS_OPERATION_COMPLETED);
    HistoryEvent started = events("async-1").stream().filter(event -> event.getEventType() == EVENT_TYPE_NEXUS_OPERATION_STARTED)
        .findFirst().orElseThrow();
    assertThat(started.getNexusOperationStartedEventAttributes().getOperationToken()).isNotEmpty();
  }

  @Test
  void operationsReachHandlersInAnotherNamespace() {
    WorkflowClient farClient = WorkflowClient.newInstance(sdk.service(), WorkflowClientOptions.newBuilder().setNamespace(FAR_NAMESPACE).build());
    WorkerFactory farWorkers = WorkerFactory.newInstance(farClient);
    Worker worker = farWorkers.newWorker(HANDLER_QUEUE);
    worker.registerWorkflowImplementationTypes(HandlerWorkflowImpl.class);
    worker.registerNexusServiceImplementation(new GreetingServiceImpl());
    farWorkers.start();
    try {
      assertThat(call("far-1", "far:Cy")).isEqualTo("Hello later Cy");
      assertThat(farClient.newUntypedWorkflowStub("handler-Cy").getResult(String.class)).isEqualTo("Hello later Cy");
    } finally {
      SdkEnvironment.shutdown(farWorkers);
    }
  }

  @Test
  void workflowBackedOperationSurvivesARestart() throws Exception {
    CallerWorkflow caller = sdk.client().newWorkflowStub(CallerWorkflow.class, options("restart-1"));
    WorkflowClient.start(caller::call, "async:block-restart");
    await().atMost(30, TimeUnit.SECONDS).until(() -> nexusEvents("restart-1").contains(EVENT_TYPE_NEXUS_OPERATION_STARTED));

    server.restart();
    sdk.client().newWorkflowStub(HandlerWorkflow.class, "handler-block-restart").release();

    String result = sdk.client().newUntypedWorkflowStub("restart-1").getResult(30, TimeUnit.SECONDS, String.class);
    assertThat(result).isEqualTo("Hello later block-restart");
  }

  @Test
  void updateBackedOperationCompletesWhenTheUpdateDoes() throws Exception {
    HandlerWorkflow keeper = sdk.client().newWorkflowStub(HandlerWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("handler-keeper").setTaskQueue(HANDLER_QUEUE).build());
    WorkflowClient.start(keeper::greet, "block-keeper");
    CallerWorkflow caller = sdk.client().newWorkflowStub(CallerWorkflow.class, options("update-1"));
    WorkflowClient.start(caller::call, "update:milk");
    await().atMost(30, TimeUnit.SECONDS).until(() -> nexusEvents("update-1").contains(EVENT_TYPE_NEXUS_OPERATION_STARTED));

    keeper.release();
    assertThat(sdk.client().newUntypedWorkflowStub("update-1").getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("remembered milk");
    assertThat(nexusEvents("update-1")).containsExactly(EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, EVENT_TYPE_NEXUS_OPERATION_STARTED,
        EVENT_TYPE_NEXUS_OPERATION_COMPLETED);
  }

  @Test
  void cancelingTheOperationCancelsItsWorkflow() {
    // The SDK reports the operation's end as a Nexus operation failure caused by the cancel.
    assertThat(call("cancel-1", "cancel:block-cancel")).isEqualTo("failed: CanceledFailure");
    // The handler's answer to the cancel request (CancelRequestCompleted) may come before or after the workflow's end.
    assertThat(nexusEvents("cancel-1")).containsSubsequence(EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, EVENT_TYPE_NEXUS_OPERATION_STARTED,
        EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED, EVENT_TYPE_NEXUS_OPERATION_CANCELED);
    await().atMost(30, TimeUnit.SECONDS).until(() -> new HistoryProbe(sdk.client()).eventTypes("handler-block-cancel")
        .contains(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED));
  }

  @Test
  void scheduleToCloseTimeoutEndsTheOperation() {
    assertThat(call("timeout-1", "timeout:block-timeout")).isEqualTo("failed: TimeoutFailure");
    // NexusOperationStarted is there unless the loaded machine took the whole timeout to start the handler's workflow.
    assertThat(nexusEvents("timeout-1")).startsWith(EVENT_TYPE_NEXUS_OPERATION_SCHEDULED).endsWith(EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT)
        .doesNotContain(EVENT_TYPE_NEXUS_OPERATION_COMPLETED, EVENT_TYPE_NEXUS_OPERATION_FAILED);
  }

  @Test
  void unknownEndpointFailsTheWorkflowTask() {
    sdk.startWorker("nexus-lost-caller", worker -> worker.registerWorkflowImplementationTypes(LostCallerImpl.class));
    WorkflowClient.start(sdk.client().newWorkflowStub(CallerWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("lost-1").setTaskQueue("nexus-lost-caller").build())::call, "sync:x");
    await().atMost(30, TimeUnit.SECONDS).until(() -> events("lost-1").stream()
        .anyMatch(event -> event.getEventType() == EVENT_TYPE_WORKFLOW_TASK_FAILED
            && event.getWorkflowTaskFailedEventAttributes().getFailure().getMessage().contains("endpoint \"no-such-endpoint\" not found")));
  }

  /** Calls an endpoint nobody registered. */
  public static class LostCallerImpl implements CallerWorkflow {
    @Override
    public String call(String scenario) {
      return Workflow.newNexusServiceStub(GreetingService.class, NexusServiceOptions.newBuilder().setEndpoint("no-such-endpoint").build())
          .hello("x");
    }
  }

  private String call(String workflowId, String scenario) {
    return sdk.client().newWorkflowStub(CallerWorkflow.class, options(workflowId)).call(scenario);
  }

  private static WorkflowOptions options(String workflowId) {
    return WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(CALLER_QUEUE)
        .setWorkflowExecutionTimeout(Duration.ofSeconds(60)).build();
  }

  private List<HistoryEvent> events(String workflowId) {
    return new HistoryProbe(sdk.client()).events(workflowId);
  }

  private List<EventType> nexusEvents(String workflowId) {
    return events(workflowId).stream().map(HistoryEvent::getEventType).filter(type -> type.name().startsWith("EVENT_TYPE_NEXUS")).toList();
  }
}
