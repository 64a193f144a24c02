package dev.hourglass.engine.visibility;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Durations;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.StoreUnavailableException;
import dev.hourglass.engine.namespace.Namespace;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.store.VisibilityQuery;
import dev.hourglass.store.VisibilityQuery.SortColumn;
import dev.hourglass.store.VisibilityRecord;
import dev.hourglass.store.VisibilityStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes closed runs once their namespace's retention period has passed since they closed, in
 * the background: every sweep finds the oldest expired runs of each namespace through the
 * close-time index, a batch at a time, and deletes each (state, history, visibility) in its own
 * transaction through the engine, so a run is never deleted while it changes and the group-commit
 * writer interleaves the deletes with the server's other writes.
 *
 * <p>Sweeps run on their own thread, every tenth of the shortest retention (at least every second,
 * at most every minute), so a short retention is honoured closely and a long one costs one index
 * read a minute per namespace.
 */
public final class RetentionSweeper {
  private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);
  private static final int BATCH = 500;
  /** Upper bound on deletes per namespace per sweep: a backlog is worked off over several sweeps. */
  private static final int MAX_BATCHES_PER_SWEEP = 20;
  private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  private static final Duration MAX_INTERVAL = Duration.ofMinutes(1);
  private static final List<SortColumn> OLDEST_CLOSED_FIRST = List.of(new SortColumn("close_order", false));

  private final NamespaceRegistry namespaces;
  private final VisibilityStore visibility;
  private final Predicate<ExecutionKey> deleteClosedRun;
  private final Clock clock;

  /**
   * @param deleteClosedRun deletes a closed run through the engine; false when it is open or gone
   */
  public RetentionSweeper(NamespaceRegistry namespaces, VisibilityStore visibility, Predicate<ExecutionKey> deleteClosedRun,
      Clock clock) {
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.visibility = requireNonNull(visibility, "visibility is null");
    this.deleteClosedRun = requireNonNull(deleteClosedRun, "deleteClosedRun is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Sweeps now and then again and again on {@code executor} (a thread of its own) until it shuts down. */
  public void start(ScheduledExecutorService executor) {
    executor.execute(() -> sweepAndReschedule(executor));
  }

  private void sweepAndReschedule(ScheduledExecutorService executor) {
    Duration next = MAX_INTERVAL;
    try {
      next = sweep();
    } catch (StoreUnavailableException e) {
      // The store reports its outage itself; the next sweep retries.
      log.atDebug().log("retention sweep skipped: the store is unavailable");
    } catch (RuntimeException e) {
      log.atWarn().setCause(e).log("retention sweep failed; retrying at the next one");
    }
    if (!executor.isShutdown()) {
      executor.schedule(() -> sweepAndReschedule(executor), next.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** One sweep over every namespace; returns how long to wait before the next. */
  Duration sweep() {
    Duration interval = MAX_INTERVAL;
    for (Namespace namespace : namespaces.list()) {
      Duration retention = Duration.ofMillis(Durations.toMillis(namespace.config().getWorkflowExecutionRetentionTtl()));
      if (retention.isZero() || retention.isNegative()) {
        continue;
      }
      Duration tenth = retention.dividedBy(10);
      if (tenth.compareTo(interval) < 0) {
        interval = tenth.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : tenth;
      }
      int deleted = sweep(namespace, clock.millis() - retention.toMillis());
      if (deleted > 0) {
        log.atInfo().addKeyValue("namespace", namespace.name()).addKeyValue("deleted", deleted)
            .log("closed workflow runs past retention deleted");
      }
    }
    return interval;
  }

  private int sweep(Namespace namespace, long closedBeforeMillis) {
    VisibilityQuery expired = new VisibilityQuery(namespace.id(), "v.close_time < ?", List.of(closedBeforeMillis), OLDEST_CLOSED_FIRST,
        Optional.empty());
    int deleted = 0;
    for (int batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch++) {
      List<VisibilityRecord> runs = visibility.list(expired, BATCH);
      int deletedInBatch = 0;
      for (VisibilityRecord run : runs) {
        if (deleteClosedRun.test(new ExecutionKey(run.namespaceId(), run.workflowId(), run.runId()))) {
          deletedInBatch++;
        }
      }
      deleted += deletedInBatch;
      // A short batch is the last; a batch where nothing could go (rows without a run) would repeat forever.
      if (runs.size() < BATCH || deletedInBatch == 0) {
        break;
      }
    }
    return deleted;
  }
}
