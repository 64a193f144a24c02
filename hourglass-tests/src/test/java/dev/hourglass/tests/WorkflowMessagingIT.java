package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Signals, queries, cancellation and continue-as-new, as the seeds' subscription and migration workflows use them. */
@Timeout(60)
class WorkflowMessagingIT {
  private static final String TASK_QUEUE = "messaging";

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface SubscriptionWorkflow {
    @WorkflowMethod
    String run(String customer);

    @SignalMethod
    void pay(int amount);

    @SignalMethod
    void cancelSubscription();

    @QueryMethod
    int balance();

    /** Fails with a message of {@code length} characters. */
    @QueryMethod
    int explode(int length);
  }

  public static class SubscriptionWorkflowImpl implements SubscriptionWorkflow {
    private int balance;
    private boolean cancelled;

    @Override
    public String run(String customer) {
      Workflow.await(() -> cancelled || balance >= 30);
      return customer + (cancelled ? " cancelled" : " paid") + " " + balance;
    }

    @Override
    public void pay(int amount) {
      balance += amount;
    }

    @Override
    public void cancelSubscription() {
      cancelled = true;
    }

    @Override
    public int balance() {
      return balance;
    }

    @Override
    public int explode(int length) {
      throw new IllegalStateException("x".repeat(length));
    }
  }

  @WorkflowInterface
  public interface SleepingWorkflow {
    @WorkflowMethod
    void sleep();
  }

  public static class SleepingWorkflowImpl implements SleepingWorkflow {
    @Override
    public void sleep() {
      Workflow.sleep(Duration.ofHours(1));
    }
  }

  @WorkflowInterface
  public interface MigrationWorkflow {
    @WorkflowMethod
    String migrate(int batch);

    @QueryMethod
    int batch();
  }

  public static class MigrationWorkflowImpl implements MigrationWorkflow {
    private int batch;

    @Override
    public String migrate(int batch) {
      this.batch = batch;
      Workflow.sleep(Duration.ofMillis(50));
      if (batch < 3) {
        Workflow.continueAsNew(batch + 1);
      }
      return "migrated " + batch + " batches, first run " + Workflow.getInfo().getFirstExecutionRunId();
    }

    @Override
    public int batch() {
      return batch;
    }
  }

  @BeforeEach
  void start() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker ->
        worker.registerWorkflowImplementationTypes(SubscriptionWorkflowImpl.class, SleepingWorkflowImpl.class, MigrationWorkflowImpl.class));
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  private WorkflowOptions options(String workflowId) {
    return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build();
  }

  @Test
  void signalsAreDeliveredInOrderAndQueriesSeeTheirEffect() throws Exception {
    SubscriptionWorkflow subscription = sdk.client().newWorkflowStub(SubscriptionWorkflow.class, options("subscription-1"));
    WorkflowClient.start(subscription::run, "alice");
    subscription.pay(10);
    subscription.pay(5);
    assertThat(subscription.balance()).isEqualTo(15);
    subscription.pay(20);
    assertThat(WorkflowStub.fromTyped(subscription).getResult(10, TimeUnit.SECONDS, String.class)).isEqualTo("alice paid 35");
    // A closed workflow is queried by replaying its history.
    assertThat(sdk.client().newWorkflowStub(SubscriptionWorkflow.class, "subscription-1").balance()).isEqualTo(35);
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void signalWithStartStartsOnceAndSignalsTheRunningWorkflow() throws Exception {
    SubscriptionWorkflow first = sdk.client().newWorkflowStub(SubscriptionWorkflow.class, options("subscription-2"));
    BatchRequest request = sdk.client().newSignalWithStartRequest();
    request.add(first::run, "bob");
    request.add(first::pay, 10);
    WorkflowExecution started = sdk.client().signalWithStart(request);

    SubscriptionWorkflow second = sdk.client().newWorkflowStub(SubscriptionWorkflow.class, options("subscription-2"));
    BatchRequest again = sdk.client().newSignalWithStartRequest();
    again.add(second::run, "bob");
    again.add(second::pay, 25);
    WorkflowExecution signalled = sdk.client().signalWithStart(again);

    assertThat(signalled.getRunId()).isEqualTo(started.getRunId());
    assertThat(WorkflowStub.fromTyped(first).getResult(10, TimeUnit.SECONDS, String.class)).isEqualTo("bob paid 35");
  }

  @Test
  void cancelRequestCancelsAWorkflowThatHandlesIt() throws Exception {
    SleepingWorkflow sleeping = sdk.client().newWorkflowStub(SleepingWorkflow.class, options("sleeping-1"));
    WorkflowClient.start(sleeping::sleep);
    WorkflowStub.fromTyped(sleeping).cancel();
    assertThatThrownBy(() -> WorkflowStub.fromTyped(sleeping).getResult(10, TimeUnit.SECONDS, Void.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    assertThat(sdk.client().fetchHistory("sleeping-1").getEvents())
        .extracting(event -> event.getEventType())
        .contains(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
  }

  @Test
  void unknownQueryTypeIsAQueryFailure() throws Exception {
    SubscriptionWorkflow subscription = sdk.client().newWorkflowStub(SubscriptionWorkflow.class, options("subscription-3"));
    WorkflowClient.start(subscription::run, "carol");
    assertThat(subscription.balance()).isZero();
    assertThatThrownBy(() -> sdk.client().newUntypedWorkflowStub("subscription-3").query("noSuchQuery", Integer.class))
        .isInstanceOf(WorkflowQueryException.class)
        .hasStackTraceContaining("noSuchQuery");
  }

  @Test
  void continueAsNewChainsRunsAndGetResultFollowsTheChain() throws Exception {
    MigrationWorkflow migration = sdk.client().newWorkflowStub(MigrationWorkflow.class, options("migration-1"));
    WorkflowExecution firstRun = WorkflowClient.start(migration::migrate, 0);

    String result = sdk.client().newUntypedWorkflowStub("migration-1").getResult(10, TimeUnit.SECONDS, String.class);

    assertThat(result).isEqualTo("migrated 3 batches, first run " + firstRun.getRunId());
    assertThat(sdk.client().newWorkflowStub(MigrationWorkflow.class, "migration-1").batch()).isEqualTo(3);
    WorkflowExecutionStatus firstStatus = sdk.service().blockingStub().describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder().setNamespace(SdkEnvironment.NAMESPACE).setExecution(firstRun).build())
        .getWorkflowExecutionInfo().getStatus();
    assertThat(firstStatus).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void continueAsNewChainSurvivesARestart() throws Exception {
    MigrationWorkflow migration = sdk.client().newWorkflowStub(MigrationWorkflow.class, options("migration-2"));
    WorkflowExecution firstRun = WorkflowClient.start(migration::migrate, 0);
    server.restart();
    String result = sdk.client().newUntypedWorkflowStub("migration-2").getResult(20, TimeUnit.SECONDS, String.class);
    assertThat(result).isEqualTo("migrated 3 batches, first run " + firstRun.getRunId());
  }

  @Test
  void signalToAClosedWorkflowIsNotFound() throws Exception {
    SubscriptionWorkflow subscription = sdk.client().newWorkflowStub(SubscriptionWorkflow.class, options("subscription-4"));
    WorkflowClient.start(subscription::run, "dave");
    subscription.cancelSubscription();
    WorkflowStub.fromTyped(subscription).getResult(10, TimeUnit.SECONDS, String.class);
    assertThatThrownBy(() -> subscription.pay(1))
        .isInstanceOf(io.temporal.client.WorkflowNotFoundException.class);
  }

  @Test
  void cancellingAClosedWorkflowSucceedsAsInTemporal() throws Exception {
    SubscriptionWorkflow subscription = sdk.client().newWorkflowStub(SubscriptionWorkflow.class, options("subscription-5"));
    WorkflowClient.start(subscription::run, "erin");
    subscription.cancelSubscription();
    WorkflowStub.fromTyped(subscription).getResult(10, TimeUnit.SECONDS, String.class);
    WorkflowStub.fromTyped(subscription).cancel();
    WorkflowStub.fromTyped(subscription).cancel();
  }

  @Test
  void terminateByFirstRunIdReachesTheCurrentRunOfTheChain() throws Exception {
    SleepingWorkflow sleeping = sdk.client().newWorkflowStub(SleepingWorkflow.class, options("sleeping-chain"));
    WorkflowExecution firstRun = WorkflowClient.start(sleeping::sleep);
    // A stub bound to the first run sends first_execution_run_id with terminate.
    WorkflowStub bound = sdk.client().newUntypedWorkflowStub("sleeping-chain", java.util.Optional.of(firstRun.getRunId()),
        java.util.Optional.empty());
    bound.terminate("done");
    assertThat(sdk.client().newUntypedWorkflowStub("sleeping-chain").describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
  }

  @Test
  void summaryAndDetailsOfStartsAndCommandsAreKept() throws Exception {
    MigrationWorkflow migration = sdk.client().newWorkflowStub(MigrationWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TASK_QUEUE).setWorkflowId("with-summary").setStaticSummary("nightly migration").setStaticDetails("batches of 1000")
        .build());
    WorkflowClient.start(migration::migrate, 3);
    WorkflowStub.fromTyped(migration).getResult(10, TimeUnit.SECONDS, String.class);
    var description = sdk.client().newUntypedWorkflowStub("with-summary", java.util.Optional.of(
        WorkflowStub.fromTyped(migration).getExecution().getRunId()), java.util.Optional.empty()).describe();
    assertThat(description.getStaticSummary()).isEqualTo("nightly migration");
    assertThat(description.getStaticDetails()).isEqualTo("batches of 1000");
  }

  @Test
  void aQueryFailingWithAHugeMessageIsReportedWithItsMessageCut() throws Exception {
    SubscriptionWorkflow subscription = sdk.client().newWorkflowStub(SubscriptionWorkflow.class, options("subscription-6"));
    WorkflowClient.start(subscription::run, "frank");
    // Under the 4 MB request limit the worker's answer arrives; its message is cut for the status.
    assertThatThrownBy(() -> subscription.explode(3_000_000))
        .isInstanceOf(WorkflowQueryException.class)
        .hasStackTraceContaining("more characters)");
    // Over it the answer itself is refused, in the words the SDK recognises, and the caller is told so, as with Temporal.
    assertThatThrownBy(() -> subscription.explode(5_000_000))
        .isInstanceOf(WorkflowQueryException.class)
        .hasStackTraceContaining("grpc: received message larger than max");
  }
}
