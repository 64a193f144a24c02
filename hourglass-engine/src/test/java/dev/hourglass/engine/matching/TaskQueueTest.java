package dev.hourglass.engine.matching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.common.ExecutionKey;
import dev.hourglass.store.ExecutionRecord;
import dev.hourglass.store.ExecutionWrite;
import dev.hourglass.store.TaskKind;
import dev.hourglass.store.TaskRecord;
import dev.hourglass.store.sql.SqliteDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task queue over a real SQLite store: what becomes of backlog rows nobody wants any more. */
class TaskQueueTest {
  private static final String NAMESPACE = "ns";
  private static final String QUEUE = "queue";
  private static final TaskQueueKey KEY = new TaskQueueKey(NAMESPACE, QUEUE, TaskKind.ACTIVITY);

  @TempDir Path directory;
  private SqliteDatabase database;
  private long rangeId;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final Clock clock = Clock.systemUTC();

  @BeforeEach
  void open() {
    database = SqliteDatabase.open(directory.resolve("tasks.db"));
    database.stores().shards().shardCount(1);
    rangeId = database.stores().shards().acquireShard(0, "test");
  }

  @AfterEach
  void close() {
    executor.shutdownNow();
    database.close();
  }

  @Test
  void rowsOfStaleTasksAreDeletedAndLiveOnesStay() throws Exception {
    ExecutionKey execution = new ExecutionKey(NAMESPACE, "wf", "run");
    List<TaskRecord> tasks = List.of(task(execution, 1), task(execution, 2), task(execution, 3));
    store(execution, tasks);
    // Tasks 1 and 2 are stale (their execution moved on, or is gone); 3 is started.
    Set<Long> tried = ConcurrentHashMap.newKeySet();
    TaskStarter<Long> starter = (task, poller) -> {
      tried.add(task.taskId());
      return task.taskId() == 3 ? Optional.of(task.taskId()) : Optional.empty();
    };
    TaskQueue<Long> queue = new TaskQueue<>(KEY, database.stores().tasks(), stale -> new BacklogFencing.Fence(0, rangeId), executor, clock,
        io.micrometer.core.instrument.Timer.builder("schedule_to_start").register(new SimpleMeterRegistry()));
    TaskQueue.Poller<Long> poller = new TaskQueue.Poller<>(new PollerInfo("test"), starter);
    queue.poll(poller);
    assertThat(poller.result().get(10, TimeUnit.SECONDS)).contains(3L);
    assertThat(tried).containsExactlyInAnyOrder(1L, 2L, 3L);

    // The started task's row goes in the transaction that starts it (the history engine's); the
    // stale ones' rows are the queue's to delete.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (backlogIds().size() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(backlogIds()).as("backlog rows left").containsExactly(3L);
  }

  private List<Long> backlogIds() {
    return database.stores().tasks().readTasks(NAMESPACE, QUEUE, TaskKind.ACTIVITY, 100).stream().map(TaskRecord::taskId).toList();
  }

  private static TaskRecord task(ExecutionKey execution, long taskId) {
    return new TaskRecord(QUEUE, TaskKind.ACTIVITY, taskId, execution, 5, 0);
  }

  private void store(ExecutionKey owner, List<TaskRecord> tasks) {
    ExecutionRecord record = new ExecutionRecord(owner, 0, 1, 1, "Type", QUEUE, 0, 0, 1, new byte[] {1});
    database.stores().executions().write(new ExecutionWrite(rangeId, record, 0, Optional.empty(), List.of(), tasks, List.of(),
        List.of(), List.of())).join();
  }
}
