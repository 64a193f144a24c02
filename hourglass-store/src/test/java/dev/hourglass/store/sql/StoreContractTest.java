package dev.hourglass.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.common.ConditionFailedException;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.common.ShardOwnershipLostException;
import dev.hourglass.common.WorkflowKey;
import dev.hourglass.store.CurrentExecution;
import dev.hourglass.store.CurrentExecutionWrite;
import dev.hourglass.store.Database;
import dev.hourglass.store.ExecutionRecord;
import dev.hourglass.store.ExecutionWrite;
import dev.hourglass.store.HistoryBatch;
import dev.hourglass.store.Stores;
import dev.hourglass.store.TaskKind;
import dev.hourglass.store.TaskRecord;
import dev.hourglass.store.TimerRecord;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store must do, whatever database is under it: each dialect's test extends this, so
 * no behaviour exists on one store only.
 */
abstract class StoreContractTest {
  protected Database database;
  protected Stores stores;
  protected long rangeId;

  /** Opens the store under test on the same database each time it is called within one test. */
  protected abstract Database openDatabase();

  /** Runs one statement on the database outside the store (as an operator or a newer binary would). */
  protected abstract void executeDirectly(String sql) throws SQLException;

  @BeforeEach
  void open() {
    database = openDatabase();
    stores = database.stores();
    assertThat(stores.shards().shardCount(4)).isEqualTo(4);
    rangeId = stores.shards().acquireShard(0, "test");
  }

  @AfterEach
  void close() {
    try {
      if (database != null) {
        database.close();
      }
    } finally {
      afterClose();
    }
  }

  /** Called after each test closed its store: a place to drop what {@link #openDatabase} created. */
  protected void afterClose() {}

  @Test
  void aSchemaNewerThanTheBinaryIsRefusedInOneLine() throws SQLException {
    database.close();
    executeDirectly("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, "
        + "execution_time, success) VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 0, 'test', 0, true)");
    assertThatThrownBy(this::openDatabase).isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("is at version 99, newer than this Hourglass binary supports (it knows up to ")
        .hasMessageNotContaining("\n");
    executeDirectly("DELETE FROM flyway_schema_history WHERE version = '99'");
    database = openDatabase();
  }

  @Test
  void shardCountIsFixedByTheFirstOpen() {
    assertThat(stores.shards().shardCount(16)).isEqualTo(4);
  }

  @Test
  void createdExecutionIsReadBackWithItsHistoryTasksAndCurrentRow() {
    ExecutionKey key = new ExecutionKey("ns", "wf-1", "run-1");
    stores.executions().write(create(key, "req-1")).join();

    assertThat(stores.executions().getExecution(key)).get().extracting(ExecutionRecord::dbVersion).isEqualTo(1L);
    assertThat(stores.executions().getCurrentExecution(new WorkflowKey("ns", "wf-1"))).get()
        .extracting(CurrentExecution::runId).isEqualTo("run-1");
    assertThat(stores.executions().readHistory(key, 1, 10)).hasSize(1);
    assertThat(stores.tasks().readTasks("ns", "queue", TaskKind.WORKFLOW, 10)).hasSize(1);
  }

  @Test
  void aTaskQueuedInAnotherNamespaceNamesItsExecutionsNamespace() {
    ExecutionKey key = new ExecutionKey("ns", "caller-1", "run-1");
    TaskRecord nexusTask = new TaskRecord("handlers", TaskKind.NEXUS, 77, key, 5, 0, "other-ns");
    stores.executions().write(new ExecutionWrite(rangeId, record(key, 1), 0, Optional.empty(), List.of(), List.of(nexusTask),
        List.of(), List.of(), List.of())).join();

    assertThat(stores.tasks().readTasks("other-ns", "handlers", TaskKind.NEXUS, 10)).containsExactly(nexusTask);
    assertThat(stores.tasks().readTasks("ns", "handlers", TaskKind.NEXUS, 10)).isEmpty();
    stores.tasks().deleteTasks(rangeId, 0, List.of(nexusTask.key())).join();
    assertThat(stores.tasks().readTasks("other-ns", "handlers", TaskKind.NEXUS, 10)).isEmpty();
  }

  @Test
  void theBacklogIsCountedPerKindAcrossQueuesUpToTheCap() {
    ExecutionKey key = new ExecutionKey("ns", "counted-1", "run-1");
    List<TaskRecord> tasks = List.of(
        new TaskRecord("queue-a", TaskKind.ACTIVITY, 1, key, 5, 0, "ns"),
        new TaskRecord("queue-a", TaskKind.ACTIVITY, 2, key, 6, 0, "ns"),
        new TaskRecord("queue-b", TaskKind.ACTIVITY, 3, key, 7, 0, "other-ns"),
        new TaskRecord("queue-a", TaskKind.WORKFLOW, 4, key, 8, 0, "ns"));
    stores.executions().write(new ExecutionWrite(rangeId, record(key, 1), 0, Optional.empty(), List.of(), tasks,
        List.of(), List.of(), List.of())).join();

    assertThat(stores.tasks().countTasks(TaskKind.ACTIVITY, 100)).isEqualTo(3);
    assertThat(stores.tasks().countTasks(TaskKind.WORKFLOW, 100)).isEqualTo(1);
    assertThat(stores.tasks().countTasks(TaskKind.NEXUS, 100)).isZero();
    assertThat(stores.tasks().countTasks(TaskKind.ACTIVITY, 2)).as("capped").isEqualTo(2);
    stores.tasks().deleteTasks(rangeId, 0, List.of(tasks.get(0).key())).join();
    assertThat(stores.tasks().countTasks(TaskKind.ACTIVITY, 100)).isEqualTo(2);
  }

  @Test
  void conflictingWriteFailsAloneAndLeavesNothingBehindWhileTheRestOfTheBatchCommits() {
    ExecutionKey first = new ExecutionKey("ns", "wf-1", "run-1");
    stores.executions().write(create(first, "req-1")).join();

    List<CompletableFuture<Void>> writes = new ArrayList<>();
    // Same run created twice: the second is a conflict (and its task must not be written).
    writes.add(stores.executions().write(create(first, "req-again")));
    for (int i = 2; i < 50; i++) {
      writes.add(stores.executions().write(create(new ExecutionKey("ns", "wf-" + i, "run-" + i), "req-" + i)));
    }
    assertThatThrownBy(() -> writes.get(0).join()).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(ConditionFailedException.class);
    writes.subList(1, writes.size()).forEach(CompletableFuture::join);
    assertThat(stores.tasks().readTasks("ns", "queue", TaskKind.WORKFLOW, 100)).hasSize(49);
  }

  @Test
  void openRunsAreListedByIdPrefixInByteOrderWhateverTheDatabaseCollation() {
    // Ids a linguistic collation (en_US ignores punctuation) would order or range differently.
    for (String workflowId : List.of("sched:b", "sched-x", "sched:A", "schedz", "sched:a-1", "sched;", "sched:")) {
      stores.executions().write(create(new ExecutionKey("ns", workflowId, "run-" + workflowId), "req-" + workflowId)).join();
    }
    assertThat(stores.executions().listOpenCurrentExecutions("ns", "sched:", "", 10))
        .extracting(CurrentExecution::workflowId).containsExactly("sched:A", "sched:a-1", "sched:b");
    assertThat(stores.executions().listOpenCurrentExecutions("ns", "sched:", "sched:A", 1))
        .extracting(CurrentExecution::workflowId).containsExactly("sched:a-1");
  }

  @Test
  void updateFromAStaleVersionIsAConflict() {
    ExecutionKey key = new ExecutionKey("ns", "wf-1", "run-1");
    stores.executions().write(create(key, "req-1")).join();
    stores.executions().write(update(key, 1)).join();
    assertThatThrownBy(() -> stores.executions().write(update(key, 1)).join())
        .hasCauseInstanceOf(ConditionFailedException.class);
  }

  @Test
  void writeUnderAnOlderLeaseIsFenced() {
    ExecutionKey key = new ExecutionKey("ns", "wf-1", "run-1");
    long oldRangeId = rangeId;
    rangeId = stores.shards().acquireShard(0, "another-owner");
    assertThat(rangeId).isGreaterThan(oldRangeId);
    ExecutionWrite stale = new ExecutionWrite(oldRangeId, record(key, 1), 0, Optional.empty(), List.of(), List.of(), List.of(),
        List.of(), List.of());
    assertThatThrownBy(() -> stores.executions().write(stale).join()).hasCauseInstanceOf(ShardOwnershipLostException.class);
    assertThat(stores.executions().getExecution(key)).isEmpty();
  }

  @Test
  void deletesOfTimersAndTasksUnderAnOlderLeaseAreFencedAndDeleteNothing() {
    ExecutionKey key = new ExecutionKey("ns", "wf-1", "run-1");
    TimerRecord timer = new TimerRecord(0, 100, 1_000, key, 1, 1, 1, "t");
    TaskRecord task = new TaskRecord("queue", TaskKind.ACTIVITY, 200, key, 5, 0);
    stores.executions().write(new ExecutionWrite(rangeId, record(key, 1), 0, Optional.empty(), List.of(), List.of(task), List.of(),
        List.of(timer), List.of())).join();
    long oldRangeId = rangeId;
    rangeId = stores.shards().acquireShard(0, "another-owner");

    assertThatThrownBy(() -> stores.timers().deleteTimers(oldRangeId, 0, List.of(timer.timerId())).join())
        .hasCauseInstanceOf(ShardOwnershipLostException.class);
    assertThatThrownBy(() -> stores.tasks().deleteTasks(oldRangeId, 0, List.of(task.key())).join())
        .hasCauseInstanceOf(ShardOwnershipLostException.class);
    assertThat(stores.timers().readTimers(0, -1, -1, 2_000, 10)).extracting(TimerRecord::timerId).containsExactly(100L);
    assertThat(stores.tasks().readTasks("ns", "queue", TaskKind.ACTIVITY, 10)).extracting(TaskRecord::taskId).containsExactly(200L);

    // The shard's owner deletes them.
    stores.timers().deleteTimers(rangeId, 0, List.of(timer.timerId())).join();
    stores.tasks().deleteTasks(rangeId, 0, List.of(task.key())).join();
    assertThat(stores.timers().readTimers(0, -1, -1, 2_000, 10)).isEmpty();
    assertThat(stores.tasks().readTasks("ns", "queue", TaskKind.ACTIVITY, 10)).isEmpty();
  }

  @Test
  void aLiveLeaseOfAnotherOwnerIsNotTakenAndAnExpiredOneIs() {
    java.time.Duration ttl = java.time.Duration.ofMinutes(1);
    java.util.Map<Integer, Long> held = stores.shards().acquireExpiredLeases("first", 4, ttl, Optional.empty()).orElseThrow();
    assertThat(held).containsOnlyKeys(0, 1, 2, 3);
    assertThat(held.get(0)).isGreaterThan(rangeId);
    assertThat(stores.shards().acquireExpiredLeases("second", 4, ttl, Optional.empty())).as("the first owner's lease is live").isEmpty();
    java.util.Map<Integer, Long> superseding = stores.shards().acquireExpiredLeases("first-restarted", 4, ttl, Optional.of("first"))
        .orElseThrow();
    assertThat(superseding.get(0)).as("a holder known to be dead").isGreaterThan(held.get(0));
    assertThat(stores.shards().renewLeases("first", held, ttl)).isFalse();
    held = stores.shards().acquireExpiredLeases("first", 4, ttl, Optional.of("first-restarted")).orElseThrow();
    assertThat(stores.shards().renewLeases("first", held, ttl)).isTrue();
    assertThat(stores.shards().clusterState().liveLease()).get().extracting(dev.hourglass.store.ShardLease::owner).isEqualTo("first");

    stores.shards().releaseLeases("first", held);
    java.util.Map<Integer, Long> taken = stores.shards().acquireExpiredLeases("second", 4, ttl, Optional.empty()).orElseThrow();
    assertThat(taken.get(0)).isGreaterThan(held.get(0));
    assertThat(stores.shards().renewLeases("first", held, ttl)).as("the first owner's range ids moved on").isFalse();
    ExecutionKey key = new ExecutionKey("ns", "wf-1", "run-1");
    ExecutionWrite stale = new ExecutionWrite(held.get(0), record(key, 1), 0, Optional.empty(), List.of(), List.of(), List.of(),
        List.of(), List.of());
    assertThatThrownBy(() -> stores.executions().write(stale).join()).hasCauseInstanceOf(ShardOwnershipLostException.class);
  }

  @Test
  void membersHeartbeatAndLeave() {
    stores.shards().heartbeat("a", "127.0.0.1:1", java.time.Duration.ofMinutes(10));
    stores.shards().heartbeat("b", "127.0.0.1:2", java.time.Duration.ofMinutes(10));
    stores.shards().heartbeat("a", "127.0.0.1:3", java.time.Duration.ofMinutes(10));
    dev.hourglass.store.ClusterState state = stores.shards().clusterState();
    assertThat(state.liveMembers(60_000)).extracting(dev.hourglass.store.ClusterMember::address)
        .containsExactlyInAnyOrder("127.0.0.1:3", "127.0.0.1:2");
    assertThat(state.members()).allMatch(member -> Math.abs(state.databaseNowMillis() - member.heartbeatAtMillis()) < 60_000);
    stores.shards().leave("a");
    assertThat(stores.shards().clusterState().members()).extracting(dev.hourglass.store.ClusterMember::memberId).containsExactly("b");
  }

  @Test
  void timersAreReadInFireTimeOrderWindowByWindow() {
    ExecutionKey key = new ExecutionKey("ns", "wf-1", "run-1");
    List<TimerRecord> timers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      timers.add(new TimerRecord(0, 100 + i, 1_000 - i * 10L, key, 1, i, 1, "t" + i));
    }
    stores.executions().write(new ExecutionWrite(rangeId, record(key, 1), 0, Optional.empty(), List.of(), List.of(), List.of(),
        timers, List.of())).join();

    List<TimerRecord> firstWindow = stores.timers().readTimers(0, -1, -1, 960, 100);
    assertThat(firstWindow).extracting(TimerRecord::fireTimeMillis).containsExactly(910L, 920L, 930L, 940L, 950L);
    TimerRecord last = firstWindow.get(firstWindow.size() - 1);
    List<TimerRecord> next = stores.timers().readTimers(0, last.fireTimeMillis(), last.timerId(), 2_000, 2);
    assertThat(next).extracting(TimerRecord::fireTimeMillis).containsExactly(960L, 970L);

    stores.timers().deleteTimers(rangeId, 0, List.of(100L, 101L)).join();
    assertThat(stores.timers().readTimers(0, -1, -1, 2_000, 100)).hasSize(8);
  }

  private ExecutionWrite create(ExecutionKey key, String requestId) {
    return new ExecutionWrite(rangeId, record(key, 1), 0,
        Optional.of(new CurrentExecutionWrite(new CurrentExecution(key.namespaceId(), key.workflowId(), key.runId(), 1, requestId),
            Optional.empty())),
        List.of(new HistoryBatch(1, 1, new byte[] {1, 2, 3})),
        List.of(new TaskRecord("queue", TaskKind.WORKFLOW, key.workflowId().hashCode(), key, 2, 0)),
        List.of(), List.of(), List.of());
  }

  private ExecutionWrite update(ExecutionKey key, long fromVersion) {
    return new ExecutionWrite(rangeId, record(key, fromVersion + 1), fromVersion, Optional.empty(), List.of(), List.of(), List.of(),
        List.of(), List.of());
  }

  private static ExecutionRecord record(ExecutionKey key, long dbVersion) {
    return new ExecutionRecord(key, 0, dbVersion, 1, "Type", "queue", 0, 0, 2, new byte[] {42});
  }
}
