package dev.hourglass.engine.timer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.common.ExecutionKey;
import dev.hourglass.store.ExecutionRecord;
import dev.hourglass.store.ExecutionWrite;
import dev.hourglass.store.TimerRecord;
import dev.hourglass.store.sql.SqliteDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timer queue over a real SQLite store: windows, batches, restarts, cancellation. */
class TimerQueueTest {
  private static final ExecutionKey EXECUTION = new ExecutionKey("ns", "wf", "run");
  /** A small window and batch, so that a few timers already need several reads. */
  private static final TimerQueueConfig SMALL = new TimerQueueConfig(Duration.ofMillis(400), 3);

  @TempDir Path directory;
  private SqliteDatabase database;
  private long rangeId;
  private final ExecutorService firing = Executors.newFixedThreadPool(4);
  private final Clock clock = Clock.systemUTC();
  /** Timer id → the time it was handed to the target. */
  private final Map<Long, Long> fired = new ConcurrentHashMap<>();
  private final List<Long> firedTwice = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    database = SqliteDatabase.open(directory.resolve("timers.db"));
    database.stores().shards().shardCount(1);
    rangeId = database.stores().shards().acquireShard(0, "test");
  }

  @AfterEach
  void close() {
    firing.shutdownNow();
    database.close();
  }

  @Test
  void everyTimerFiresOnceAndNeverEarlyAcrossSeveralWindowReads() throws Exception {
    long now = clock.millis();
    List<TimerRecord> timers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      timers.add(timer(100 + i, now + 100 + i * 60L));
    }
    store(timers);
    CountDownLatch allFired = new CountDownLatch(timers.size());
    try (TimerQueue queue = queue(allFired)) {
      queue.start();
      assertThat(allFired.await(10, TimeUnit.SECONDS)).as("all timers fired").isTrue();
    }
    assertThat(firedTwice).isEmpty();
    for (TimerRecord timer : timers) {
      assertThat(fired.get(timer.timerId())).as("fire time of %s", timer.timerId()).isGreaterThanOrEqualTo(timer.fireTimeMillis());
    }
  }

  @Test
  void timersThatCameDueWhileNothingRanFireAtOnceOnStart() throws Exception {
    long now = clock.millis();
    store(List.of(timer(1, now - 60_000), timer(2, now - 1_000), timer(3, now - 10)));
    CountDownLatch allFired = new CountDownLatch(3);
    long started = clock.millis();
    try (TimerQueue queue = queue(allFired)) {
      queue.start();
      assertThat(allFired.await(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(fired.values()).allSatisfy(firedAt -> assertThat(firedAt - started).isLessThan(1_000));
  }

  @Test
  void timerAddedAfterCommitFiresAndCancelledOneDoesNot() throws Exception {
    CountDownLatch oneFired = new CountDownLatch(1);
    try (TimerQueue queue = queue(oneFired)) {
      queue.start();
      long now = clock.millis();
      // Far enough ahead that the store write and the cancel happen first on a loaded machine.
      TimerRecord kept = timer(7, now + 1_500);
      TimerRecord cancelled = timer(8, now + 1_000);
      store(List.of(kept, cancelled));
      queue.add(cancelled);
      queue.add(kept);
      queue.cancel(cancelled.timerId());
      database.stores().timers().deleteTimers(rangeId, 0, List.of(cancelled.timerId())).join();
      assertThat(oneFired.await(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(fired).containsOnlyKeys(7L);
  }

  @Test
  void rowsOfTimersWhoseExecutionIsGoneAreDeleted() throws Exception {
    long now = clock.millis();
    List<TimerRecord> timers = List.of(timer(1, now + 50), timer(2, now + 60), timer(3, now + 70));
    store(timers);
    CountDownLatch allFired = new CountDownLatch(timers.size());
    TimerTarget executionGone = timer -> {
      allFired.countDown();
      return TimerTarget.Fired.EXECUTION_GONE;
    };
    try (TimerQueue queue = new TimerQueue(0, rangeId, database.stores().timers(), clock, executionGone, firing, SMALL,
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
      queue.start();
      assertThat(allFired.await(10, TimeUnit.SECONDS)).as("all timers fired").isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!database.stores().timers().readTimers(0, -1, -1, Long.MAX_VALUE, 100).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(database.stores().timers().readTimers(0, -1, -1, Long.MAX_VALUE, 100)).as("rows of timers of gone executions").isEmpty();
    }
  }

  private TimerQueue queue(CountDownLatch latch) {
    TimerTarget target = timer -> {
      if (fired.putIfAbsent(timer.timerId(), clock.millis()) != null) {
        firedTwice.add(timer.timerId());
      }
      // As the history engine does: the row goes away in the transaction that applies the timer.
      database.stores().timers().deleteTimers(rangeId, 0, List.of(timer.timerId())).join();
      latch.countDown();
      return TimerTarget.Fired.HANDLED;
    };
    return new TimerQueue(0, rangeId, database.stores().timers(), clock, target, firing, SMALL, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  private static TimerRecord timer(long id, long fireTimeMillis) {
    return new TimerRecord(0, id, fireTimeMillis, EXECUTION, 1, id, 1, "t" + id);
  }

  private void store(List<TimerRecord> timers) {
    // Timer rows are written with an execution change; a throwaway execution per batch of rows.
    ExecutionKey owner = new ExecutionKey("ns", "owner-" + timers.get(0).timerId(), "run");
    ExecutionRecord record = new ExecutionRecord(owner, 0, 1, 1, "Type", "queue", 0, 0, 1, new byte[] {1});
    database.stores().executions().write(new ExecutionWrite(rangeId, record, 0, Optional.empty(), List.of(), List.of(), List.of(),
        timers, List.of())).join();
  }
}
