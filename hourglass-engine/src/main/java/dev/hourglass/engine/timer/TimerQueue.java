package dev.hourglass.engine.timer;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ShardOwnershipLostException;
import dev.hourglass.common.StoreUnavailableException;
import dev.hourglass.store.TimerRecord;
import dev.hourglass.store.TimerStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable timers of one shard, fired on time.
 *
 * <p>Timers live as rows indexed by fire time; memory holds only a window: the rows due before
 * {@code now + lookAhead} (at most {@code batchSize} per read), so millions of pending timers cost
 * disk, not heap. One thread per shard waits for the earliest loaded timer and hands due ones to
 * the {@link TimerTarget} on the firing executor; it reads the next window when half the current
 * one has passed (with jitter, so shards do not read in lockstep).
 *
 * <p>New timers are announced with {@link #add} after their transaction commits. A timer due
 * inside the window being loaded is put in memory directly; one due later is left to a future
 * read. {@code loadingUntil} is raised <em>before</em> each read, so a timer committed while a read
 * runs is either seen by the read or added to memory by {@link #add}, never neither.
 *
 * <p>When the store fails (the database is unreachable), reads are retried with a growing pause
 * and fires a second later, quietly: the store reports the outage once. {@link #rescan} starts
 * the next read from the beginning of the window, for timers committed without being announced.
 *
 * <p>Cost: add, cancel and fire are O(log n) in the loaded window.
 */
public final class TimerQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TimerQueue.class);
  private static final Comparator<TimerRecord> BY_FIRE_TIME =
      Comparator.comparingLong(TimerRecord::fireTimeMillis).thenComparingLong(TimerRecord::timerId);
  private static final long STORE_ERROR_BACKOFF_MILLIS = 1_000;
  private static final long MAX_READ_BACKOFF_MILLIS = 10_000;

  private final int shardId;
  private final long rangeId;
  private final TimerStore store;
  private final Clock clock;
  private final TimerTarget target;
  private final ExecutorService firingExecutor;
  private final TimerQueueConfig config;
  private final Thread thread;
  private final Timer lag;
  private final Counter fireRetries;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Loaded timers by (fire time, id); guarded by lock. */
  private final TreeSet<TimerRecord> loaded = new TreeSet<>(BY_FIRE_TIME);
  /** The same timers by id, for cancel and de-duplication; guarded by lock. */
  private final Map<Long, TimerRecord> loadedById = new HashMap<>();
  /** Timers handed to the target and not finished: a window read must not load them again. */
  private final Map<Long, TimerRecord> firing = new HashMap<>();
  /** Every timer due before this is in memory, fired, or being read; guarded by lock. */
  private long loadingUntil;
  /** Read cursor: the last (fire time, id) read from the store. */
  private long cursorFireTime = -1;
  private long cursorTimerId = -1;
  /** When the next window read is due. */
  private long nextReadMillis;
  /** Set by {@link #rescan}: the read under way must not move the cursor past what it skipped. */
  private boolean rescanRequested;
  /** Due times of timers whose fire failed and is being retried, for an honest lag; guarded by lock. */
  private final Map<Long, Long> dueBeforeRetry = new HashMap<>();
  private boolean closed;
  /** Rows of timers whose execution is gone, waiting to be deleted in one batch; guarded by lock. */
  private final List<Long> orphanRows = new java.util.ArrayList<>();

  /** @param rangeId the range id this process holds the shard under: the fencing token of the queue's deletes */
  public TimerQueue(int shardId, long rangeId, TimerStore store, Clock clock, TimerTarget target, ExecutorService firingExecutor,
      TimerQueueConfig config, MeterRegistry metrics) {
    this.shardId = shardId;
    this.rangeId = rangeId;
    this.store = requireNonNull(store, "store is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.target = requireNonNull(target, "target is null");
    this.firingExecutor = requireNonNull(firingExecutor, "firingExecutor is null");
    this.config = requireNonNull(config, "config is null");
    this.thread = new Thread(this::run, "hourglass-timers-" + shardId);
    this.thread.setDaemon(true);
    this.lag = lagTimer(metrics);
    this.fireRetries = Counter.builder("timer_fire_retries").description("Timer fires that failed and were retried").register(metrics);
  }

  /** Shared by every shard's queue: registering a meter twice returns the first. */
  private static Timer lagTimer(MeterRegistry metrics) {
    return Timer.builder("timer_lag").description("How late timers fire: from their due time until they are handed to the engine")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
        .register(metrics);
  }

  public void start() {
    thread.start();
  }

  /** A timer was committed; load it if it falls in the window. */
  public void add(TimerRecord timer) {
    lock.lock();
    try {
      if (timer.fireTimeMillis() < loadingUntil && !loadedById.containsKey(timer.timerId()) && !firing.containsKey(timer.timerId())) {
        loaded.add(timer);
        loadedById.put(timer.timerId(), timer);
        if (loaded.first() == timer) {
          changed.signal();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** A timer's row was deleted (what it guarded is over): forget it. */
  public void cancel(long timerId) {
    lock.lock();
    try {
      dueBeforeRetry.remove(timerId);
      TimerRecord timer = loadedById.remove(timerId);
      if (timer != null) {
        loaded.remove(timer);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads the window again from its start, at once: after a store outage, a timer may have been
   * committed by a write whose caller saw it fail, and so was never {@link #add added}.
   */
  public void rescan() {
    lock.lock();
    try {
      cursorFireTime = -1;
      cursorTimerId = -1;
      nextReadMillis = 0;
      rescanRequested = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Number of timers held in memory (for metrics and tests of the memory bound). */
  public int loadedCount() {
    lock.lock();
    try {
      return loaded.size();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    long backoffMillis = 0;
    while (true) {
      try {
        if (!runOnce()) {
          return;
        }
        backoffMillis = 0;
      } catch (RuntimeException e) {
        backoffMillis = backoffMillis == 0 ? STORE_ERROR_BACKOFF_MILLIS : Math.min(backoffMillis * 2, MAX_READ_BACKOFF_MILLIS);
        if (e instanceof StoreUnavailableException) {
          log.atDebug().addKeyValue("shardId", shardId).log("timer queue read failed, the store is unavailable; retrying");
        } else {
          log.atWarn().addKeyValue("shardId", shardId).setCause(e).log("timer queue read failed; retrying");
        }
        try {
          if (!awaitRetry(backoffMillis)) {
            return;
          }
        } catch (InterruptedException interrupted) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Waits before reading again after a failure; a {@link #rescan} (the store is back) or close ends the wait. */
  private boolean awaitRetry(long millis) throws InterruptedException {
    lock.lock();
    try {
      if (!closed && !rescanRequested) {
        changed.await(millis, TimeUnit.MILLISECONDS);
      }
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  private boolean runOnce() throws InterruptedException {
    long now = clock.millis();
    if (now >= nextReadMillis) {
      readWindow(now);
    }
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      now = clock.millis();
      while (!loaded.isEmpty() && loaded.first().fireTimeMillis() <= now) {
        TimerRecord due = loaded.pollFirst();
        loadedById.remove(due.timerId());
        firing.put(due.timerId(), due);
        firingExecutor.execute(() -> fire(due));
      }
      long wakeAt = nextReadMillis;
      if (!loaded.isEmpty()) {
        wakeAt = Math.min(wakeAt, loaded.first().fireTimeMillis());
      }
      long waitMillis = wakeAt - clock.millis();
      if (waitMillis > 0) {
        // Wake on time, when an earlier timer is added, or at close. A clock jumping backwards
        // only delays this wait, it never fires a timer early; a jump forward fires what is due.
        changed.await(waitMillis, TimeUnit.MILLISECONDS);
      }
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  private void readWindow(long now) {
    long windowEnd = now + config.lookAhead().toMillis();
    long fromFireTime;
    long fromTimerId;
    lock.lock();
    try {
      loadingUntil = Math.max(loadingUntil, windowEnd);
      rescanRequested = false;
      fromFireTime = cursorFireTime;
      fromTimerId = cursorTimerId;
    } finally {
      lock.unlock();
    }
    List<TimerRecord> rows = store.readTimers(shardId, fromFireTime, fromTimerId, windowEnd, config.batchSize());
    lock.lock();
    try {
      if (rescanRequested) {
        // A rescan came while this read ran: leave the cursor at the start, read again at once.
        nextReadMillis = 0;
        return;
      }
      for (TimerRecord row : rows) {
        if (!loadedById.containsKey(row.timerId()) && !firing.containsKey(row.timerId())) {
          loaded.add(row);
          loadedById.put(row.timerId(), row);
        }
      }
      if (!rows.isEmpty()) {
        TimerRecord last = rows.get(rows.size() - 1);
        cursorFireTime = last.fireTimeMillis();
        cursorTimerId = last.timerId();
      }
      boolean full = rows.size() == config.batchSize();
      if (full) {
        // More rows in this window than one read takes: read on once these fire.
        nextReadMillis = cursorFireTime;
      } else {
        long half = config.lookAhead().toMillis() / 2;
        long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, half / 10));
        nextReadMillis = now + half - jitter;
      }
    } finally {
      lock.unlock();
    }
  }

  private void fire(TimerRecord timer) {
    long handedOverMillis = clock.millis();
    TimerTarget.Fired fired;
    try {
      fired = target.fire(timer);
    } catch (RuntimeException e) {
      // The row is still there: the next window read after a restart fires it again. Within this
      // process, retry once the store may be back.
      fireRetries.increment();
      if (!(e instanceof StoreUnavailableException)) {
        log.atWarn().addKeyValue("shardId", shardId).addKeyValue("timerId", timer.timerId()).setCause(e)
            .log("firing a timer failed; will retry");
      }
      lock.lock();
      try {
        dueBeforeRetry.putIfAbsent(timer.timerId(), timer.fireTimeMillis());
        firing.remove(timer.timerId());
        if (!closed) {
          TimerRecord retry = new TimerRecord(timer.shardId(), timer.timerId(), clock.millis() + STORE_ERROR_BACKOFF_MILLIS,
              timer.execution(), timer.kind(), timer.eventId(), timer.attempt(), timer.name());
          loaded.add(retry);
          loadedById.put(retry.timerId(), retry);
          changed.signal();
        }
      } finally {
        lock.unlock();
      }
      return;
    }
    long dueMillis;
    lock.lock();
    try {
      firing.remove(timer.timerId());
      Long firstDue = dueBeforeRetry.remove(timer.timerId());
      dueMillis = firstDue == null ? timer.fireTimeMillis() : firstDue;
    } finally {
      lock.unlock();
    }
    lag.record(Math.max(0, handedOverMillis - dueMillis), TimeUnit.MILLISECONDS);
    if (fired == TimerTarget.Fired.EXECUTION_GONE) {
      deleteOrphanRow(timer.timerId());
    }
  }

  /**
   * Deletes the row of a timer whose execution is gone, batched with those that come due
   * meanwhile: the first orphan starts a delete, later ones join the batch until it runs. A failed
   * delete only leaves the row to fire (and be deleted) again after a restart, or by the shard's
   * next owner when the delete was fenced.
   */
  private void deleteOrphanRow(long timerId) {
    lock.lock();
    try {
      orphanRows.add(timerId);
      if (orphanRows.size() > 1) {
        return; // a delete is already queued and will take this one too
      }
    } finally {
      lock.unlock();
    }
    try {
      firingExecutor.execute(this::deleteOrphanRows);
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      // the rows fire (and are deleted) after the next start
    }
  }

  private void deleteOrphanRows() {
    List<Long> batch;
    lock.lock();
    try {
      batch = List.copyOf(orphanRows);
      orphanRows.clear();
    } finally {
      lock.unlock();
    }
    store.deleteTimers(rangeId, shardId, batch).exceptionally(e -> {
      if (e instanceof ShardOwnershipLostException) {
        // The shard's new owner fires these rows itself, finds their executions gone and deletes them.
        log.atInfo().addKeyValue("shardId", shardId).addKeyValue("rows", batch.size())
            .log("timer rows of deleted executions not deleted: another process owns the shard now");
      } else {
        log.atDebug().addKeyValue("shardId", shardId).setCause(e).log("deleting timer rows of deleted executions failed");
      }
      return null;
    });
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
