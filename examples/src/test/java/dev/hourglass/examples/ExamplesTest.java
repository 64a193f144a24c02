package dev.hourglass.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hourglass.examples.digest.AccountDigestWorkflowImpl;
import dev.hourglass.examples.digest.DailyDigestWorkflowImpl;
import dev.hourglass.examples.digest.DigestReport;
import dev.hourglass.examples.digest.DigestSchedule;
import dev.hourglass.examples.digest.SampleAccounts;
import dev.hourglass.examples.mail.Email;
import dev.hourglass.examples.mail.OutboxMailer;
import dev.hourglass.examples.migration.MigrationInput;
import dev.hourglass.examples.migration.MigrationProgress;
import dev.hourglass.examples.migration.MigrationWorkflow;
import dev.hourglass.examples.migration.MigrationWorkflowImpl;
import dev.hourglass.examples.migration.SampleRecords;
import dev.hourglass.examples.onboarding.NewUser;
import dev.hourglass.examples.onboarding.OnboardingWorkflow;
import dev.hourglass.examples.onboarding.OnboardingWorkflowImpl;
import dev.hourglass.examples.subscription.FlakyPaymentProvider;
import dev.hourglass.examples.subscription.SubscriptionStatus;
import dev.hourglass.examples.subscription.SubscriptionTerms;
import dev.hourglass.examples.subscription.SubscriptionWorkflow;
import dev.hourglass.examples.subscription.SubscriptionWorkflowImpl;
import dev.hourglass.server.testing.TestingHourglassServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each example, run as the README says but against an embedded Hourglass server: the workflows,
 * workers and clients are exactly the examples' own, with short durations.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExamplesTest {
  @TempDir static Path dataDir;
  private static TestingHourglassServer server;
  private Connection connection;

  @BeforeAll
  static void startServer() {
    server = new TestingHourglassServer(dataDir);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void connect() {
    Connection.Options options = new Connection.Options();
    options.address = server.target();
    options.namespace = "default";
    connection = new Connection(options);
  }

  @AfterEach
  void disconnect() {
    connection.close();
  }

  private Worker worker(String taskQueue) {
    return connection.newWorker(taskQueue);
  }

  /** A stub for a new workflow on a task queue of its own, served by a worker with the given activities. */
  private <T> T newWorkflow(Class<T> type, Class<?> implementation, Object... activities) {
    String queue = unique(type.getSimpleName());
    Worker worker = worker(queue);
    worker.registerWorkflowImplementationTypes(implementation);
    worker.registerActivitiesImplementations(activities);
    connection.startWorkers();
    return connection.client().newWorkflowStub(type,
        WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(unique(type.getSimpleName())).build());
  }

  private static String workflowId(Object stub) {
    return WorkflowStub.fromTyped(stub).getOptions().orElseThrow().getWorkflowId();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  @Test
  void onboardingRemindsAUserWhoDoesNotActivate() {
    OutboxMailer mailer = new OutboxMailer(true);
    OnboardingWorkflow onboarding = newWorkflow(OnboardingWorkflow.class, OnboardingWorkflowImpl.class, mailer);
    String result = onboarding.onboard(new NewUser("ada@example.com", "Ada", 1));

    assertThat(result).isEqualTo("ada@example.com was reminded");
    // The first attempt of each mail fails on purpose: each went out once, on its retry.
    assertThat(mailer.outbox()).extracting(Email::subject)
        .containsExactly("Welcome, Ada!", "Your account is waiting for you");
  }

  @Test
  void onboardingSendsNoReminderOnceTheUserActivates() {
    OutboxMailer mailer = new OutboxMailer(false);
    OnboardingWorkflow onboarding = newWorkflow(OnboardingWorkflow.class, OnboardingWorkflowImpl.class, mailer);
    WorkflowClient.start(onboarding::onboard, new NewUser("alan@example.com", "Alan", 3600));
    await().atMost(Duration.ofSeconds(30)).until(() -> onboarding.status().startsWith("waiting for"));
    onboarding.activated();

    assertThat(WorkflowStub.fromTyped(onboarding).getResult(String.class)).isEqualTo("alan@example.com activated");
    assertThat(mailer.outbox()).extracting(Email::subject).containsExactly("Welcome, Alan!");
  }

  @Test
  void subscriptionBillsEveryPeriodOnceThenEnds() {
    OutboxMailer mailer = new OutboxMailer(false);
    FlakyPaymentProvider payments = new FlakyPaymentProvider();
    SubscriptionWorkflow subscription = newWorkflow(SubscriptionWorkflow.class, SubscriptionWorkflowImpl.class, mailer, payments);
    SubscriptionStatus status = subscription.subscribe(new SubscriptionTerms("c-1", "c-1@example.com", 1, 1, 2, 500));

    assertThat(status).isEqualTo(new SubscriptionStatus("ended", 2, 1000, 500, false));
    assertThat(payments.charges()).containsOnlyKeys("c-1-1", "c-1-2");
    assertThat(mailer.outbox()).extracting(Email::subject)
        .containsExactly("Welcome to your free trial", "Your subscription has ended");
  }

  @Test
  void subscriptionCancelledInTheTrialChargesNothing() {
    OutboxMailer mailer = new OutboxMailer(false);
    FlakyPaymentProvider payments = new FlakyPaymentProvider();
    SubscriptionWorkflow subscription = newWorkflow(SubscriptionWorkflow.class, SubscriptionWorkflowImpl.class, mailer, payments);
    WorkflowClient.start(subscription::subscribe, new SubscriptionTerms("c-2", "c-2@example.com", 3600, 60, 3, 500));
    await().atMost(Duration.ofSeconds(30)).until(() -> subscription.status().phase().equals("trial"));
    subscription.cancel();

    SubscriptionStatus status = WorkflowStub.fromTyped(subscription).getResult(SubscriptionStatus.class);
    assertThat(status.phase()).isEqualTo("cancelled during the trial");
    assertThat(status.totalChargedCents()).isZero();
    assertThat(payments.charges()).isEmpty();
    assertThat(mailer.outbox()).extracting(Email::subject).containsExactly("Welcome to your free trial", "Your trial is cancelled");
  }

  @Test
  void migrationContinuesAsNewAndCountsCorruptRecords() {
    SampleRecords records = new SampleRecords(40, Duration.ZERO);
    MigrationWorkflow migration = newWorkflow(MigrationWorkflow.class, MigrationWorkflowImpl.class, records);
    String workflowId = workflowId(migration);
    WorkflowClient.start(migration::migrate, new MigrationInput(5, 2, MigrationProgress.start()));
    MigrationProgress result = connection.client().newUntypedWorkflowStub(workflowId).getResult(MigrationProgress.class);

    // 8 batches of 5, 2 per run: four runs migrate, a fifth finds nothing left. Records 17 and 34 are corrupt.
    assertThat(result).isEqualTo(new MigrationProgress(40, 38, 2, 5, "done"));
    assertThat(records.migrated()).hasSize(38).doesNotContain("user-00017", "user-00034");
  }

  @Test
  void migrationReportsProgressAndStopsOnCancel() {
    MigrationWorkflow migration = newWorkflow(MigrationWorkflow.class, MigrationWorkflowImpl.class,
        new SampleRecords(10_000, Duration.ofMillis(20)));
    String workflowId = workflowId(migration);
    WorkflowClient.start(migration::migrate, new MigrationInput(10, 3, MigrationProgress.start()));
    MigrationWorkflow current = connection.client().newWorkflowStub(MigrationWorkflow.class, workflowId);
    await().atMost(Duration.ofSeconds(60)).until(() -> current.progress().migrated() >= 12);
    current.cancel();

    MigrationProgress result = connection.client().newUntypedWorkflowStub(workflowId).getResult(MigrationProgress.class);
    assertThat(result.state()).isEqualTo("cancelled");
    assertThat(result.migrated()).isGreaterThanOrEqualTo(12).isLessThan(10_000);
  }

  @Test
  void digestScheduleRunsOneChildPerAccount() {
    String queue = unique("digest");
    OutboxMailer mailer = new OutboxMailer(true);
    Worker worker = worker(queue);
    worker.registerWorkflowImplementationTypes(DailyDigestWorkflowImpl.class, AccountDigestWorkflowImpl.class);
    worker.registerActivitiesImplementations(new SampleAccounts(3), mailer);
    connection.startWorkers();

    ScheduleHandle schedule = DigestSchedule.ensure(connection.schedules(), queue);
    try {
      // As in Temporal, the cron string is compiled into a calendar spec: 08:00 every day.
      assertThat(schedule.describe().getSchedule().getSpec().getCalendars()).hasSize(1);
      schedule.trigger();
      String workflowId = await().atMost(Duration.ofSeconds(30)).until(() -> {
        var recent = schedule.describe().getInfo().getRecentActions();
        return recent.isEmpty() ? null : ((ScheduleActionExecutionStartWorkflow) recent.get(0).getAction()).getWorkflowId();
      }, id -> id != null);
      DigestReport report = connection.client().newUntypedWorkflowStub(workflowId).getResult(DigestReport.class);

      assertThat(report).isEqualTo(new DigestReport(3, java.util.List.of()));
      assertThat(mailer.outbox()).extracting(Email::to)
          .containsExactlyInAnyOrder("account-001@example.com", "account-002@example.com", "account-003@example.com");
    } finally {
      schedule.delete();
    }
  }
}
