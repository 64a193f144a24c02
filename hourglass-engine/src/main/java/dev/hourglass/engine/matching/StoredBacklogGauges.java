package dev.hourglass.engine.matching;

import static java.util.Objects.requireNonNull;

import dev.hourglass.store.TaskKind;
import dev.hourglass.store.TaskStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code task_queue_backlog_tasks}: the tasks waiting in the store, per task type across every
 * queue — the backlog an operator asks about ("are the workers keeping up?"). Counted in the
 * background every few seconds, not at scrape time, so a scrape never waits on the database; and
 * capped, because telling 100,000 from 3 million is not worth scanning 3 million rows each time.
 */
final class StoredBacklogGauges implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoredBacklogGauges.class);
  static final Duration INTERVAL = Duration.ofSeconds(5);
  static final long CAP = 100_000;

  private final TaskStore store;
  private final Executor executor;
  private final MeterRegistry metrics;
  private final Map<TaskKind, AtomicLong> counts = new EnumMap<>(TaskKind.class);
  private final List<Meter> gauges = new ArrayList<>();
  private final AtomicBoolean counting = new AtomicBoolean();
  private final ScheduledFuture<?> schedule;

  StoredBacklogGauges(TaskStore store, Executor executor, ScheduledExecutorService scheduler, MeterRegistry metrics) {
    this.store = requireNonNull(store, "store is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    for (TaskKind kind : TaskKind.values()) {
      AtomicLong count = new AtomicLong();
      counts.put(kind, count);
      gauges.add(Gauge.builder("task_queue_backlog_tasks", count, AtomicLong::get)
          .description("Tasks waiting in the store across every task queue (counted every 5 s, up to 100,000)")
          .tag("task_type", kind.name().toLowerCase(Locale.ROOT)).register(metrics));
    }
    this.schedule = scheduler.scheduleWithFixedDelay(this::countInBackground, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The count is a database read: it runs on the executor, never on the scheduler, and never twice at once. */
  private void countInBackground() {
    if (counting.compareAndSet(false, true)) {
      executor.execute(() -> {
        try {
          counts.forEach((kind, count) -> count.set(store.countTasks(kind, CAP)));
        } catch (RuntimeException e) {
          // The store is unavailable (logged once where that is detected): keep the last counts.
          log.debug("could not count the stored backlog", e);
        } finally {
          counting.set(false);
        }
      });
    }
  }

  @Override
  public void close() {
    schedule.cancel(false);
    gauges.forEach(metrics::remove);
  }
}
