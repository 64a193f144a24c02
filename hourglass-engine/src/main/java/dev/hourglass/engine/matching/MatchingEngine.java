package dev.hourglass.engine.matching;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.hourglass.store.TaskKind;
import dev.hourglass.store.TaskRecord;
import dev.hourglass.store.TaskStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollNexusTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Matches tasks with pollers across all task queues of this process. Tasks arrive from the
 * history engine after the commit that created them; polls arrive from the frontend and complete
 * asynchronously (a task, or empty at the long-poll deadline).
 */
public final class MatchingEngine {
  /** A sticky queue with no poll for this long is taken as gone (its worker stopped). */
  private static final long STICKY_POLLER_ALIVE_MILLIS = 10_000;
  /**
   * How long a shut-down worker's polls are answered empty at once, as in Temporal's matching: a poll the
   * worker sent just before ShutdownWorker may arrive after it.
   */
  private static final Duration SHUT_DOWN_WORKER_MEMORY = Duration.ofSeconds(30);

  private final TaskStore store;
  private final BacklogFencing fencing;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final ConcurrentMap<TaskQueueKey, TaskQueue<PollWorkflowTaskQueueResponse>> workflowQueues = new ConcurrentHashMap<>();
  private final ConcurrentMap<TaskQueueKey, TaskQueue<PollActivityTaskQueueResponse>> activityQueues = new ConcurrentHashMap<>();
  private final ConcurrentMap<TaskQueueKey, TaskQueue<PollNexusTaskQueueResponse>> nexusQueues = new ConcurrentHashMap<>();
  private final Timer workflowScheduleToStart;
  private final Timer activityScheduleToStart;
  private final Timer nexusScheduleToStart;
  private final MeterRegistry metrics;
  /** This engine's gauges: they read its queues, so they go when it does ({@link #close}). */
  private final List<Meter> gauges = new ArrayList<>();
  private final StoredBacklogGauges storedBacklog;
  /** Worker instance keys (namespace id, key) of workers that announced their shutdown lately. */
  private final Cache<ShutDownWorker, Boolean> shutDownWorkers =
      Caffeine.newBuilder().expireAfterWrite(SHUT_DOWN_WORKER_MEMORY).maximumSize(10_000).build();

  private record ShutDownWorker(String namespaceId, String workerInstanceKey) {}

  public MatchingEngine(TaskStore store, BacklogFencing fencing, Executor executor, ScheduledExecutorService scheduler, Clock clock,
      MeterRegistry metrics) {
    this.store = requireNonNull(store, "store is null");
    this.fencing = requireNonNull(fencing, "fencing is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.workflowScheduleToStart = scheduleToStart(metrics, "workflow");
    this.activityScheduleToStart = scheduleToStart(metrics, "activity");
    this.nexusScheduleToStart = scheduleToStart(metrics, "nexus");
    registerQueueGauges("workflow", workflowQueues);
    registerQueueGauges("activity", activityQueues);
    registerQueueGauges("nexus", nexusQueues);
    this.storedBacklog = new StoredBacklogGauges(store, executor, scheduler, metrics);
  }

  private static Timer scheduleToStart(MeterRegistry metrics, String taskType) {
    return Timer.builder("task_schedule_to_start_latency")
        .description("From a task's creation (its commit) until a poller started it: dispatch latency, backlog age")
        .tag("task_type", taskType)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(metrics);
  }

  /**
   * Registers gauges over this engine's queues. A registry returns the meter already registered
   * under a name and tags, so an engine of a later ownership term gets its own gauges only because
   * the previous engine removed its gauges when it closed.
   */
  private void registerQueueGauges(String taskType, ConcurrentMap<TaskQueueKey, ? extends TaskQueue<?>> queues) {
    gauges.add(Gauge.builder("task_queue_buffered_tasks", queues, all -> all.values().stream().mapToInt(TaskQueue::bufferedTasks).sum())
        .description("Tasks held in memory, ready for the next poller").tag("task_type", taskType).register(metrics));
    gauges.add(Gauge.builder("task_queue_waiting_pollers", queues, all -> all.values().stream().mapToInt(TaskQueue::waitingPollers).sum())
        .description("Long polls waiting for a task").tag("task_type", taskType).register(metrics));
    gauges.add(Gauge.builder("task_queue_store_backlog_queues", queues,
            all -> all.values().stream().filter(TaskQueue::hasBacklogInStore).count())
        .description("Task queues whose backlog is (or may be) larger than their buffer and is read from the store")
        .tag("task_type", taskType).register(metrics));
  }

  /** Ends this engine's ownership term for metrics: its gauges are removed, so the next term's engine registers its own. */
  public void close() {
    gauges.forEach(metrics::remove);
    storedBacklog.close();
  }

  /** Every task queue reads its backlog from the store again (after a store outage, see {@link TaskQueue#rescan}). */
  public void rescanBacklogs() {
    workflowQueues.values().forEach(TaskQueue::rescan);
    activityQueues.values().forEach(TaskQueue::rescan);
  }

  /** A task was committed to the backlog: dispatch it. */
  public void addTask(TaskRecord task) {
    TaskQueueKey key = new TaskQueueKey(task.queueNamespaceId(), task.taskQueue(), task.kind());
    switch (task.kind()) {
      case WORKFLOW -> workflowQueue(key).add(task);
      case ACTIVITY -> activityQueue(key).add(task);
      case NEXUS -> nexusQueue(key).add(task);
    }
  }

  /** A query for a workflow: dispatched to the queue's workflow pollers ahead of the backlog, never stored. */
  public void addQueryTask(TaskRecord task) {
    workflowQueue(new TaskQueueKey(task.execution().namespaceId(), task.taskQueue(), TaskKind.WORKFLOW)).addTransient(task);
  }

  /** Whether any worker polled the queue lately (for a clear error when nobody will answer). */
  public boolean hasRecentPoller(String namespaceId, String taskQueue, TaskKind kind) {
    TaskQueue<?> queue = queue(new TaskQueueKey(namespaceId, taskQueue, kind));
    return queue != null && queue.hasRecentPoller(STICKY_POLLER_ALIVE_MILLIS * 6);
  }

  /**
   * Waits up to {@code timeout} for a workflow task of the queue; {@code starter} records its start.
   * Completes empty at the deadline.
   */
  public CompletableFuture<Optional<PollWorkflowTaskQueueResponse>> pollWorkflowTask(String namespaceId, String taskQueue,
      PollerInfo poller, Duration timeout, TaskStarter<PollWorkflowTaskQueueResponse> starter) {
    TaskQueueKey key = new TaskQueueKey(namespaceId, taskQueue, TaskKind.WORKFLOW);
    if (isShutDown(key) || isShutDownWorker(namespaceId, poller)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return poll(workflowQueue(key), poller, timeout, starter);
  }

  /** As {@link #pollWorkflowTask}, for activity tasks. */
  public CompletableFuture<Optional<PollActivityTaskQueueResponse>> pollActivityTask(String namespaceId, String taskQueue,
      PollerInfo poller, Duration timeout, TaskStarter<PollActivityTaskQueueResponse> starter) {
    if (isShutDownWorker(namespaceId, poller)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return poll(activityQueue(new TaskQueueKey(namespaceId, taskQueue, TaskKind.ACTIVITY)), poller, timeout, starter);
  }

  /** As {@link #pollWorkflowTask}, for Nexus tasks (operation start and cancel requests). */
  public CompletableFuture<Optional<PollNexusTaskQueueResponse>> pollNexusTask(String namespaceId, String taskQueue,
      PollerInfo poller, Duration timeout, TaskStarter<PollNexusTaskQueueResponse> starter) {
    if (isShutDownWorker(namespaceId, poller)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return poll(nexusQueue(new TaskQueueKey(namespaceId, taskQueue, TaskKind.NEXUS)), poller, timeout, starter);
  }

  /**
   * A worker instance is shutting down (ShutdownWorker with its instance key): its outstanding polls, on any
   * queue, are answered empty now, and so are the polls it still sends for a while, so that a gracefully
   * stopping SDK need not wait out its long polls nor cancel them (and lose a task matched meanwhile). A poll
   * already matched to a task gets that task.
   */
  public void shutdownWorker(String namespaceId, String workerInstanceKey) {
    if (workerInstanceKey.isEmpty()) {
      return;
    }
    shutDownWorkers.put(new ShutDownWorker(namespaceId, workerInstanceKey), Boolean.TRUE);
    for (Map<TaskQueueKey, ? extends TaskQueue<?>> queues : List.of(workflowQueues, activityQueues, nexusQueues)) {
      for (TaskQueue<?> queue : queues.values()) {
        if (queue.key().namespaceId().equals(namespaceId)) {
          queue.expirePollersOf(workerInstanceKey);
        }
      }
    }
  }

  private boolean isShutDownWorker(String namespaceId, PollerInfo poller) {
    return !poller.workerInstanceKey().isEmpty()
        && shutDownWorkers.getIfPresent(new ShutDownWorker(namespaceId, poller.workerInstanceKey())) != null;
  }

  /**
   * Sticky queues of workers that announced their shutdown. Sticky queue names are unique per
   * worker instance, so a name once shut down never comes back; bounded, oldest forgotten first.
   */
  private final java.util.Set<TaskQueueKey> shutDownStickyQueues = java.util.Collections.newSetFromMap(
      new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<TaskQueueKey, Boolean> eldest) {
          return size() > MAX_REMEMBERED_SHUT_DOWN_QUEUES;
        }
      });
  private static final int MAX_REMEMBERED_SHUT_DOWN_QUEUES = 10_000;

  /** A worker is shutting down (ShutdownWorker): its sticky queue is dead from now on. */
  public void shutdownStickyQueue(String namespaceId, String stickyQueue) {
    TaskQueueKey key = new TaskQueueKey(namespaceId, stickyQueue, TaskKind.WORKFLOW);
    synchronized (shutDownStickyQueues) {
      shutDownStickyQueues.add(key);
    }
    TaskQueue<PollWorkflowTaskQueueResponse> queue = workflowQueues.remove(key);
    if (queue != null) {
      queue.expireAllPollers();
    }
  }

  private boolean isShutDown(TaskQueueKey key) {
    synchronized (shutDownStickyQueues) {
      return shutDownStickyQueues.contains(key);
    }
  }

  /** Whether a worker is polling the sticky queue: if not, workflow tasks go to the normal queue. */
  public boolean isStickyQueueAlive(String namespaceId, String stickyQueue) {
    TaskQueue<PollWorkflowTaskQueueResponse> queue = workflowQueues.get(new TaskQueueKey(namespaceId, stickyQueue, TaskKind.WORKFLOW));
    return queue != null && queue.hasRecentPoller(STICKY_POLLER_ALIVE_MILLIS);
  }

  /** Pollers of a queue seen within the last five minutes, newest first (DescribeTaskQueue). */
  public java.util.List<PollerSeen> recentPollers(String namespaceId, String taskQueue, TaskKind kind) {
    TaskQueue<?> queue = queue(new TaskQueueKey(namespaceId, taskQueue, kind));
    return queue == null ? java.util.List.of() : queue.recentPollers();
  }

  /** Most backlog rows counted by {@link #backlogCount}: DescribeTaskQueue reports a hint, not an audit. */
  public static final int MAX_COUNTED_BACKLOG = 1_000;

  /** Tasks waiting in the queue's durable backlog, counted up to {@link #MAX_COUNTED_BACKLOG}. */
  public int backlogCount(String namespaceId, String taskQueue, TaskKind kind) {
    return store.readTasks(namespaceId, taskQueue, kind, MAX_COUNTED_BACKLOG).size();
  }

  private TaskQueue<?> queue(TaskQueueKey key) {
    return switch (key.kind()) {
      case WORKFLOW -> workflowQueues.get(key);
      case ACTIVITY -> activityQueues.get(key);
      case NEXUS -> nexusQueues.get(key);
    };
  }

  /** Waiting pollers of a queue, for DescribeTaskQueue. */
  public int waitingPollers(String namespaceId, String taskQueue, TaskKind kind) {
    TaskQueue<?> queue = queue(new TaskQueueKey(namespaceId, taskQueue, kind));
    return queue == null ? 0 : queue.waitingPollers();
  }

  private <R> CompletableFuture<Optional<R>> poll(TaskQueue<R> queue, PollerInfo info, Duration timeout, TaskStarter<R> starter) {
    TaskQueue.Poller<R> poller = new TaskQueue.Poller<>(info, starter);
    var expiry = scheduler.schedule(() -> {
      if (poller.expire()) {
        queue.removePoller(poller);
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    poller.result().whenComplete((response, error) -> expiry.cancel(false));
    queue.poll(poller);
    return poller.result();
  }


  private TaskQueue<PollWorkflowTaskQueueResponse> workflowQueue(TaskQueueKey key) {
    return workflowQueues.computeIfAbsent(key, k -> new TaskQueue<>(k, store, fencing, executor, clock, workflowScheduleToStart));
  }

  private TaskQueue<PollActivityTaskQueueResponse> activityQueue(TaskQueueKey key) {
    return activityQueues.computeIfAbsent(key, k -> new TaskQueue<>(k, store, fencing, executor, clock, activityScheduleToStart));
  }

  private TaskQueue<PollNexusTaskQueueResponse> nexusQueue(TaskQueueKey key) {
    return nexusQueues.computeIfAbsent(key, k -> new TaskQueue<>(k, store, fencing, executor, clock, nexusScheduleToStart));
  }
}
