package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timer and backlog rows that nothing wants any more are deleted, not read and fired again
 * forever. The test reads (and, to stand for rows left behind by a deleted execution, writes) the
 * store's tables directly.
 */
@Timeout(90)
class StoreCleanupIT {
  private static final String TASK_QUEUE = "cleanup";
  /** An activity queue no worker polls: its task's row stays until the run closes. */
  private static final String UNPOLLED_QUEUE = "cleanup-unpolled";
  private static final Duration ROWS_GONE_TIMEOUT = Duration.ofSeconds(30);
  /** Stored kind codes (TimerKind, TaskKind), never renumbered. */
  private static final int USER_TIMER = 1;
  private static final int ACTIVITY_TASK = 1;

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @ActivityInterface
  public interface Waits {
    void waitHere();
  }

  @WorkflowInterface
  public interface Pending {
    @WorkflowMethod
    void run();
  }

  /** Leaves a pending activity (on a queue nobody polls) and a pending timer. */
  public static class PendingImpl implements Pending {
    @Override
    public void run() {
      Waits waits = Workflow.newActivityStub(Waits.class, ActivityOptions.newBuilder().setTaskQueue(UNPOLLED_QUEUE)
          .setStartToCloseTimeout(Duration.ofMinutes(10)).build());
      io.temporal.workflow.Async.procedure(waits::waitHere);
      Workflow.sleep(Duration.ofHours(1));
    }
  }

  @WorkflowInterface
  public interface Echo {
    @WorkflowMethod
    String echo(String value);
  }

  @WorkflowInterface
  public interface StartsAndLeaves {
    @WorkflowMethod
    void run(String childInput);
  }

  /** Initiates a child and closes in the same workflow task: the child is never started. */
  public static class StartsAndLeavesImpl implements StartsAndLeaves {
    @Override
    public void run(String childInput) {
      Echo child = Workflow.newChildWorkflowStub(Echo.class, io.temporal.workflow.ChildWorkflowOptions.newBuilder()
          .setWorkflowId(Workflow.getInfo().getWorkflowId() + "-child").build());
      io.temporal.workflow.Async.function(child::echo, childInput);
    }
  }

  public static class WaitsImpl implements Waits {
    @Override
    public void waitHere() {}
  }

  @BeforeEach
  void start() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  @Test
  void deletingARunningWorkflowLeavesNoTimerOrTaskRows() throws Exception {
    sdk.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(PendingImpl.class));
    Pending workflow = sdk.client().newWorkflowStub(Pending.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("pending").build());
    WorkflowExecution execution = WorkflowClient.start(workflow::run);
    new HistoryProbe(sdk.client()).awaitEvent("pending", EventType.EVENT_TYPE_TIMER_STARTED, Duration.ofSeconds(20));
    assertThat(count("SELECT COUNT(*) FROM timers WHERE workflow_id = 'pending'")).as("timer rows while running").isPositive();
    assertThat(count("SELECT COUNT(*) FROM tasks WHERE workflow_id = 'pending'")).as("task rows while running").isPositive();

    sdk.service().blockingStub().deleteWorkflowExecution(DeleteWorkflowExecutionRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setWorkflowExecution(execution).build());

    assertThat(count("SELECT COUNT(*) FROM executions WHERE workflow_id = 'pending'")).as("execution rows").isZero();
    assertThat(count("SELECT COUNT(*) FROM timers WHERE workflow_id = 'pending'")).as("timer rows").isZero();
    assertThat(count("SELECT COUNT(*) FROM tasks WHERE workflow_id = 'pending'")).as("task rows").isZero();
  }

  @Test
  void aClosedParentKeepsItsUnstartedChildButNotTheChildsStartRequest() throws Exception {
    sdk.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(StartsAndLeavesImpl.class));
    String bigInput = "x".repeat(300_000);
    sdk.client().newWorkflowStub(StartsAndLeaves.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
        .setWorkflowId("leaves").build()).run(bigInput);

    // As in Temporal, the closed parent still lists the child it initiated as pending.
    var described = sdk.service().blockingStub().describeWorkflowExecution(
        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder().setNamespace(SdkEnvironment.NAMESPACE)
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId("leaves")).build());
    assertThat(described.getPendingChildrenList()).singleElement()
        .satisfies(child -> assertThat(child.getWorkflowId()).isEqualTo("leaves-child"));
    // Its start request (with the input, which history keeps) is no longer in the closed run's state.
    assertThat(stateBytes("leaves")).as("size of the closed parent's state").isLessThan(bigInput.length() / 10);
  }

  @Test
  void aTimerRowOfAGoneExecutionIsDeletedWhenItFires() throws Exception {
    // A row left behind by an execution that no longer exists, due now.
    writeWhileDown("INSERT INTO timers (shard_id, timer_id, fire_time, namespace_id, workflow_id, run_id, kind, event_id, attempt, name)"
        + " VALUES (0, 9000000000000000000, " + System.currentTimeMillis() + ", '" + namespaceId() + "', 'gone', 'gone-run', "
        + USER_TIMER + ", 5, 1, 't')");
    // The timer queue reads its window at start: the row fires once, and must not come back.
    await("timer row of the gone execution deleted").atMost(ROWS_GONE_TIMEOUT).pollInterval(Duration.ofMillis(100))
        .until(() -> count("SELECT COUNT(*) FROM timers WHERE workflow_id = 'gone'") == 0);
  }

  @Test
  void aBacklogRowOfAGoneExecutionIsDeletedWhenAPollerFindsItStale() throws Exception {
    writeWhileDown("INSERT INTO tasks (namespace_id, task_queue, task_kind, task_id, workflow_id, run_id, scheduled_event_id, create_time,"
        + " execution_namespace_id) VALUES ('" + namespaceId() + "', '" + UNPOLLED_QUEUE + "', " + ACTIVITY_TASK
        + ", 9000000000000000000, 'gone', 'gone-run', 5, 0, '')");
    sdk.startWorker(UNPOLLED_QUEUE, worker -> worker.registerActivitiesImplementations(new WaitsImpl()));
    await("backlog row of the gone execution deleted").atMost(ROWS_GONE_TIMEOUT).pollInterval(Duration.ofMillis(100))
        .until(() -> count("SELECT COUNT(*) FROM tasks WHERE workflow_id = 'gone'") == 0);
  }

  private String namespaceId() throws SQLException {
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement("SELECT id FROM namespaces WHERE name = ?")) {
      statement.setString(1, SdkEnvironment.NAMESPACE);
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).as("namespace %s exists", SdkEnvironment.NAMESPACE).isTrue();
        return rows.getString(1);
      }
    }
  }

  private int stateBytes(String workflowId) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement("SELECT state FROM executions WHERE workflow_id = ?")) {
      statement.setString(1, workflowId);
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).as("execution row of %s", workflowId).isTrue();
        return rows.getBytes(1).length;
      }
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection connection = connect(); ResultSet rows = connection.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /**
   * Writes a row behind the server's back and starts it again on the store. The SQLite store
   * keeps its file locked while the server runs, so the row is written while it is stopped.
   */
  private void writeWhileDown(String sql) throws SQLException {
    boolean sqlite = server.store() instanceof StoreConfig.Sqlite;
    if (sqlite) {
      sdk.close();
      server.close(); // keeps an SQLite file (it drops only a PostgreSQL test database)
    }
    try (Connection connection = connect()) {
      connection.createStatement().executeUpdate(sql);
    }
    if (sqlite) {
      server = new TestingHourglassServer(dataDir);
      sdk = SdkEnvironment.connect(server.target());
    } else {
      server.restart();
    }
  }

  private Connection connect() throws SQLException {
    StoreConfig store = server.store();
    if (store instanceof StoreConfig.Postgres postgres) {
      return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + ((StoreConfig.Sqlite) store).file());
    connection.createStatement().execute("PRAGMA busy_timeout = 10000");
    return connection;
  }
}
