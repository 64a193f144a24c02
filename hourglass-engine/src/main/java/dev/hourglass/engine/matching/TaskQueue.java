package dev.hourglass.engine.matching;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ShardOwnershipLostException;
import dev.hourglass.common.StoreUnavailableException;
import dev.hourglass.common.UnavailableException;
import dev.hourglass.store.TaskKey;
import dev.hourglass.store.TaskRecord;
import dev.hourglass.store.TaskStore;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task queue in memory: tasks waiting for pollers and pollers waiting for tasks.
 *
 * <p>Every task has a backlog row, written in the transaction that created it and deleted by the
 * one that starts it. The in-memory buffer is a bounded cache of that backlog: a task committed
 * while a poller waits goes straight to it (the hand-off costs no database round trip beyond the
 * commit that created the task); a task nobody waits for is buffered; when the buffer is full the
 * task stays only in the store and {@code backlogInStore} is set, so the queue reads the store when
 * the buffer drains. At start the queue does not know its backlog, so it reads the store first.
 *
 * <p>Each poller brings the {@link TaskStarter} that records the start of the task it gets, so
 * matching knows nothing of history.
 *
 * <p>Polls are asynchronous: a waiting poller is a future, no thread is parked for it. Starting a
 * matched task (a store write) runs on the executor, outside the lock.
 *
 * <p>Thread-safety: all state is guarded by {@code this}.
 */
final class TaskQueue<R> {
  private static final Logger log = LoggerFactory.getLogger(TaskQueue.class);

  /** In-memory tasks per queue; past this the backlog stays in the store. */
  static final int MAX_BUFFERED_TASKS = 1_000;
  /** Rows read from the store per backlog read. */
  private static final int BACKLOG_READ_SIZE = 500;

  private final TaskQueueKey key;
  private final TaskStore store;
  private final BacklogFencing fencing;
  private final Executor executor;
  private final Clock clock;
  /** Task created → started (dispatch latency), shared by the queues of one task type. */
  private final Timer scheduleToStart;

  private final ArrayDeque<TaskRecord> buffer = new ArrayDeque<>();
  /** Ids of tasks buffered or being started: a backlog read must not take them twice. */
  private final Set<Long> known = new HashSet<>();
  /** Ids of buffered tasks that have no backlog row (queries): nothing to delete when they are stale. */
  private final Set<Long> inMemoryOnly = new HashSet<>();
  /** Stale tasks whose rows wait to be deleted in one batch. */
  private final List<TaskRecord> staleRows = new ArrayList<>();
  private final ArrayDeque<Poller<R>> pollers = new ArrayDeque<>();
  private boolean backlogInStore = true;
  private boolean reading;
  /** Counts tasks left in the store only; a read that saw none added meanwhile can clear the flag. */
  private long storeOnlyAdds;
  private long lastPollMillis;
  /** When each poller identity last polled, oldest first; kept {@link #POLLER_HISTORY_MILLIS}, for DescribeTaskQueue. */
  private final java.util.LinkedHashMap<String, Long> pollerLastAccess = new java.util.LinkedHashMap<>();
  /** Temporal shows pollers seen within the last five minutes. */
  static final long POLLER_HISTORY_MILLIS = 5 * 60_000;
  private static final int MAX_POLLER_HISTORY = 1_000;

  TaskQueue(TaskQueueKey key, TaskStore store, BacklogFencing fencing, Executor executor, Clock clock, Timer scheduleToStart) {
    this.key = requireNonNull(key, "key is null");
    this.store = requireNonNull(store, "store is null");
    this.fencing = requireNonNull(fencing, "fencing is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.scheduleToStart = requireNonNull(scheduleToStart, "scheduleToStart is null");
  }

  /**
   * Reads the store's backlog again before trusting the buffer: after a store outage, a task may
   * have been committed by a write whose caller saw it fail, and so was never {@link #add added}.
   */
  void rescan() {
    synchronized (this) {
      backlogInStore = true;
      storeOnlyAdds++;
      if (!pollers.isEmpty()) {
        readBacklogIfNeeded();
      }
    }
  }

  synchronized boolean hasBacklogInStore() {
    return backlogInStore;
  }

  /** A task was committed: hand it to a waiting poller, or keep it. */
  void add(TaskRecord task) {
    Poller<R> poller;
    synchronized (this) {
      if (known.contains(task.taskId())) {
        return;
      }
      poller = nextWaitingPoller();
      if (poller == null) {
        if (buffer.size() < MAX_BUFFERED_TASKS && !backlogInStore) {
          buffer.add(task);
          known.add(task.taskId());
        } else {
          backlogInStore = true;
          storeOnlyAdds++;
        }
        return;
      }
      known.add(task.taskId());
    }
    start(task, poller);
  }

  /**
   * A task that lives only in memory (a query): goes before the backlog and past the buffer limit,
   * since nothing in the store would bring it back.
   */
  void addTransient(TaskRecord task) {
    Poller<R> poller;
    synchronized (this) {
      poller = nextWaitingPoller();
      known.add(task.taskId());
      inMemoryOnly.add(task.taskId());
      if (poller == null) {
        buffer.addFirst(task);
        return;
      }
    }
    start(task, poller);
  }

  /** A poller arrived (or came back after a stale task): give it a task or let it wait. */
  void poll(Poller<R> poller) {
    TaskRecord task;
    synchronized (this) {
      lastPollMillis = clock.millis();
      rememberPoller(poller.info.identity(), lastPollMillis);
      task = buffer.poll();
      if (task == null) {
        pollers.add(poller);
        readBacklogIfNeeded();
        return;
      }
      if (!poller.claim()) {
        buffer.addFirst(task);
        return;
      }
    }
    start(task, poller);
  }

  /** Answers every waiting poller empty (their worker is shutting down). */
  void expireAllPollers() {
    List<Poller<R>> waiting;
    synchronized (this) {
      waiting = List.copyOf(pollers);
      pollers.clear();
    }
    waiting.forEach(Poller::expire);
  }

  /** Answers the waiting pollers of one worker instance empty (it is shutting down). */
  void expirePollersOf(String workerInstanceKey) {
    List<Poller<R>> leaving = new java.util.ArrayList<>();
    synchronized (this) {
      pollers.removeIf(poller -> {
        boolean ofWorker = poller.info().workerInstanceKey().equals(workerInstanceKey);
        if (ofWorker) {
          leaving.add(poller);
        }
        return ofWorker;
      });
    }
    leaving.forEach(Poller::expire);
  }

  synchronized void removePoller(Poller<R> poller) {
    pollers.remove(poller);
  }

  /** Whether a worker polled this queue lately (or waits on it now): sticky queues use it. */
  synchronized boolean hasRecentPoller(long withinMillis) {
    return !pollers.isEmpty() || clock.millis() - lastPollMillis < withinMillis;
  }

  private void rememberPoller(String identity, long nowMillis) {
    pollerLastAccess.remove(identity);
    pollerLastAccess.put(identity, nowMillis);
    forgetOldPollers(nowMillis);
  }

  private void forgetOldPollers(long nowMillis) {
    var oldest = pollerLastAccess.entrySet().iterator();
    while (oldest.hasNext()) {
      var entry = oldest.next();
      if (pollerLastAccess.size() <= MAX_POLLER_HISTORY && nowMillis - entry.getValue() < POLLER_HISTORY_MILLIS) {
        return;
      }
      oldest.remove();
    }
  }

  /** Identities that polled within the poller history window, with their last poll time, newest first. */
  synchronized List<PollerSeen> recentPollers() {
    forgetOldPollers(clock.millis());
    List<PollerSeen> seen = new java.util.ArrayList<>();
    pollerLastAccess.forEach((identity, millis) -> seen.add(0, new PollerSeen(identity, millis)));
    return seen;
  }

  synchronized int waitingPollers() {
    return pollers.size();
  }

  synchronized int bufferedTasks() {
    return buffer.size();
  }

  private Poller<R> nextWaitingPoller() {
    Poller<R> poller;
    while ((poller = pollers.poll()) != null) {
      if (poller.claim()) {
        return poller;
      }
    }
    return null;
  }

  private void start(TaskRecord task, Poller<R> poller) {
    executor.execute(() -> {
      Optional<R> response;
      try {
        response = poller.starter().tryStart(task, poller.info());
      } catch (RuntimeException e) {
        // The row is still in the store: read it again later. The poller gets the error.
        if (!(e instanceof StoreUnavailableException)) {
          log.atWarn().addKeyValue("taskQueue", key.name()).setCause(e).log("starting a task failed");
        }
        synchronized (this) {
          known.remove(task.taskId());
          inMemoryOnly.remove(task.taskId());
          backlogInStore = true;
          storeOnlyAdds++;
        }
        poller.fail(e);
        return;
      }
      boolean hasRow;
      synchronized (this) {
        known.remove(task.taskId());
        hasRow = !inMemoryOnly.remove(task.taskId());
      }
      if (response.isPresent()) {
        scheduleToStart.record(Math.max(0, clock.millis() - task.createTimeMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
        poller.complete(response.get());
      } else {
        // Stale task: the poller is still waiting, find it another one.
        if (hasRow) {
          deleteStaleRow(task);
        }
        poller.unclaim();
        poll(poller);
      }
    });
  }

  /**
   * Deletes the row of a task its execution no longer wants (closed, deleted, or moved on to
   * another task), batched with those found meanwhile: the first one queues a delete, later ones
   * join it until it runs. Without this the row would be read again at every backlog read. A
   * failed delete only leaves the row to be found stale again; a fenced one (another process owns
   * the execution's shard now) leaves it to that process.
   */
  private void deleteStaleRow(TaskRecord row) {
    synchronized (this) {
      staleRows.add(row);
      if (staleRows.size() > 1) {
        return; // a delete is queued and will take this one too
      }
    }
    try {
      executor.execute(this::deleteStaleRows);
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      // the rows are found stale (and deleted) after the next start
    }
  }

  private void deleteStaleRows() {
    List<TaskRecord> batch;
    synchronized (this) {
      batch = List.copyOf(staleRows);
      staleRows.clear();
    }
    Map<BacklogFencing.Fence, List<TaskKey>> byShard;
    try {
      byShard = batch.stream().collect(Collectors.groupingBy(task -> fencing.fence(task.execution()),
          Collectors.mapping(TaskRecord::key, Collectors.toList())));
    } catch (UnavailableException shardGone) {
      log.atDebug().addKeyValue("taskQueue", key.name()).log("stale task rows left to the shard's next owner: this term ended");
      return;
    }
    byShard.forEach((fence, keys) -> store.deleteTasks(fence.rangeId(), fence.shardId(), keys).exceptionally(e -> {
      if (e instanceof ShardOwnershipLostException) {
        log.atInfo().addKeyValue("taskQueue", key.name()).addKeyValue("shardId", fence.shardId()).addKeyValue("rows", keys.size())
            .log("stale task rows not deleted: another process owns their shard now");
      } else {
        log.atDebug().addKeyValue("taskQueue", key.name()).setCause(e).log("deleting stale task rows failed");
      }
      return null;
    }));
  }

  /** Called with the lock held. */
  private void readBacklogIfNeeded() {
    if (!backlogInStore || reading || buffer.size() >= MAX_BUFFERED_TASKS / 2) {
      return;
    }
    reading = true;
    long addsBefore = storeOnlyAdds;
    executor.execute(() -> readBacklog(addsBefore));
  }

  private void readBacklog(long addsBefore) {
    List<TaskRecord> rows;
    try {
      rows = store.readTasks(key.namespaceId(), key.name(), key.kind(), BACKLOG_READ_SIZE);
    } catch (RuntimeException e) {
      // Waiting pollers stay; the next poll, or the store's recovery (rescan), reads again.
      if (!(e instanceof StoreUnavailableException)) {
        log.atWarn().addKeyValue("taskQueue", key.name()).setCause(e).log("reading the backlog failed");
      }
      synchronized (this) {
        reading = false;
      }
      return;
    }
    List<Poller<R>> waiting;
    synchronized (this) {
      reading = false;
      int fresh = 0;
      for (TaskRecord row : rows) {
        if (known.add(row.taskId())) {
          buffer.add(row);
          fresh++;
        }
      }
      if (rows.size() < BACKLOG_READ_SIZE && storeOnlyAdds == addsBefore) {
        backlogInStore = false;
      }
      if (fresh == 0 && backlogInStore && rows.size() == BACKLOG_READ_SIZE) {
        // Everything read is already in flight; the rest waits for those to be started.
        log.atDebug().addKeyValue("taskQueue", key.name()).log("backlog read found only known tasks");
      }
      waiting = List.copyOf(pollers);
      pollers.clear();
    }
    waiting.forEach(this::poll);
  }

  TaskQueueKey key() {
    return key;
  }

  /** A poller waiting for a task: completes with a response, or empty at its deadline. */
  static final class Poller<R> {
    private final PollerInfo info;
    private final TaskStarter<R> starter;
    private final CompletableFuture<Optional<R>> result = new CompletableFuture<>();
    /** 0 waiting, 1 matched to a task being started, 2 done. Guarded by this. */
    private int state;

    Poller(PollerInfo info, TaskStarter<R> starter) {
      this.info = requireNonNull(info, "info is null");
      this.starter = requireNonNull(starter, "starter is null");
    }

    PollerInfo info() {
      return info;
    }

    TaskStarter<R> starter() {
      return starter;
    }

    CompletableFuture<Optional<R>> result() {
      return result;
    }

    /** Takes the poller for a task; false if it is taken, expired, or its caller cancelled the future. */
    synchronized boolean claim() {
      if (state != 0 || result.isDone()) {
        return false;
      }
      state = 1;
      return true;
    }

    synchronized void unclaim() {
      if (state == 1) {
        state = 0;
      }
    }

    /** Deadline reached: answers empty unless a task is being started for it. */
    synchronized boolean expire() {
      if (state != 0) {
        return false;
      }
      state = 2;
      result.complete(Optional.empty());
      return true;
    }

    synchronized void complete(R response) {
      state = 2;
      result.complete(Optional.of(response));
    }

    synchronized void fail(Throwable error) {
      state = 2;
      result.completeExceptionally(error);
    }
  }
}
