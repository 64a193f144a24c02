package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ConditionFailedException;
import dev.hourglass.common.ShardOwnershipLostException;
import dev.hourglass.common.StoreUnavailableException;
import dev.hourglass.common.UnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A writer of a database (the only one on SQLite; one per set of shards on PostgreSQL, see
 * {@link ShardWriters}): takes write operations from any thread and applies them in batches, one
 * transaction (and so one fsync) per batch.
 *
 * <p>Why: on SQLite only one connection may write at a time, and every commit with
 * {@code synchronous=FULL} costs an fsync. Serializing writers through one thread and committing
 * whatever queued up during the previous fsync turns N commits into one without delaying a lone
 * writer (a write arriving at an idle writer is committed at once).
 *
 * <p>A failing operation (a version conflict) fails alone: the batch is then replayed one
 * operation per transaction. An operation's future completes only after the commit returned:
 * nothing is acknowledged before it is durable.
 *
 * <p>While the database is unreachable ({@link DatabaseAvailability}) batches fail at once with
 * UNAVAILABLE, without waiting for a connection; the first batch after it answers again opens a
 * new one.
 *
 * <p>Threads: one writer thread owns the connection; {@link #submit} may be called from any thread.
 * Futures are completed on the writer thread, so callers must not chain slow work onto them
 * synchronously.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** Upper bound on operations per transaction: keeps a commit's latency bounded under load. */
  private static final int MAX_BATCH = 512;

  /** Opens the writer's connection, set up for explicit transactions (auto-commit off). */
  @FunctionalInterface
  interface ConnectionOpener {
    Connection open() throws SQLException;
  }

  private final ConnectionOpener opener;
  private final SqlDialect dialect;
  private final DatabaseAvailability availability;
  private final Timer commitLatency;
  private final DistributionSummary batchSizes;
  private final Counter replays;
  private final Counter fencedWrites;
  private final Counter conflictingWrites;
  private final Counter rejectedWrites;
  private final Counter unavailableWrites;
  /** The writer thread's connection and statements; null after the connection was lost, until reopened. */
  private WriterSession session;
  /** {@link DatabaseAvailability#outagesBegun()} when the session was opened: after an outage it is not reused. */
  private long sessionOutages;
  private final BlockingQueue<PendingWrite> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  private record PendingWrite(WriteOperation operation, CompletableFuture<Void> result) {}

  /**
   * Opens the connection at once, so a database that cannot be reached fails the start, not the
   * first write.
   */
  GroupCommitWriter(ConnectionOpener opener, SqlDialect dialect, String name, DatabaseAvailability availability, MeterRegistry metrics)
      throws SQLException {
    this.opener = requireNonNull(opener, "opener is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.availability = requireNonNull(availability, "availability is null");
    // The same meters for every writer of the database: registering a name twice returns the first.
    this.commitLatency = Timer.builder("persistence_commit_latency").description("Time to apply and commit one group-commit batch")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(metrics);
    this.batchSizes = DistributionSummary.builder("persistence_commit_batch_size").description("Writes per committed batch")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).register(metrics);
    this.replays = Counter.builder("persistence_commit_replays")
        .description("Batches rolled back because one write failed (a version conflict, a fenced shard) and replayed one write per transaction")
        .register(metrics);
    this.fencedWrites = writeFailures(metrics, "fenced");
    this.conflictingWrites = writeFailures(metrics, "conflict");
    this.rejectedWrites = writeFailures(metrics, "rejected");
    this.unavailableWrites = writeFailures(metrics, "unavailable");
    this.session = new WriterSession(opener.open(), dialect);
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private static Counter writeFailures(MeterRegistry metrics, String reason) {
    return Counter.builder("persistence_write_failures")
        .description("Writes not committed: fenced (the shard's range id moved on: another process owns it), conflict "
            + "(the execution is not at the version the write was computed from), rejected (any other refusal) "
            + "or unavailable (database unreachable)")
        .tag("reason", reason).register(metrics);
  }

  CompletableFuture<Void> submit(WriteOperation operation) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new UnavailableException("the store is closed"));
      return result;
    }
    queue.add(new PendingWrite(operation, result));
    return result;
  }

  private void run() {
    List<PendingWrite> batch = new ArrayList<>(MAX_BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        PendingWrite first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("group commit writer failed", e);
      } finally {
        batch.clear();
      }
    }
    failRemaining();
    if (session != null) {
      session.close();
    }
  }

  /**
   * Commits the batch in one transaction. Optimistic: writes run without savepoints (statements
   * SQLite would parse anew each time); if any fails, the whole transaction is rolled back and the
   * writes are replayed one transaction each, so the failing one fails alone. Conflicts are rare
   * (a stale cache, a lease moved on), so the common path pays nothing for them.
   */
  private void commit(List<PendingWrite> batch) {
    try {
      availability.checkAvailable();
    } catch (StoreUnavailableException e) {
      batch.forEach(write -> fail(write, e));
      return;
    }
    long started = System.nanoTime();
    try {
      WriterSession current = session();
      current.beginBatch();
      for (PendingWrite write : batch) {
        write.operation().apply(current);
      }
      current.connection().commit();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(e);
      if (session == null) {
        // No connection (the database is down): replaying one by one would only fail N times.
        RuntimeException failure = e instanceof SQLException sql ? availability.failed("commit", sql) : (RuntimeException) e;
        batch.forEach(write -> fail(write, failure));
        return;
      }
      if (batch.size() == 1) {
        fail(batch.get(0), e);
        return;
      }
      replays.increment();
      batch.forEach(write -> commit(List.of(write)));
      return;
    }
    commitLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    batchSizes.record(batch.size());
    batch.forEach(write -> write.result().complete(null));
  }

  private void fail(PendingWrite write, Exception error) {
    RuntimeException failure;
    if (error instanceof SQLException sql) {
      failure = availability.failed("commit", sql);
      if (!(failure instanceof StoreUnavailableException)) {
        log.warn("store write failed", error);
      }
    } else {
      failure = (RuntimeException) error;
    }
    failureCounter(failure).increment();
    write.result().completeExceptionally(failure);
  }

  private Counter failureCounter(RuntimeException failure) {
    if (failure instanceof ShardOwnershipLostException) {
      return fencedWrites;
    }
    if (failure instanceof ConditionFailedException) {
      return conflictingWrites;
    }
    return failure instanceof UnavailableException ? unavailableWrites : rejectedWrites;
  }

  /**
   * The open session, reopening the connection when the last one was lost: a database restart
   * fails the writes in flight (UNAVAILABLE, nothing acknowledged), and the next batch goes on.
   */
  private WriterSession session() throws SQLException {
    if (session != null && sessionOutages != availability.outagesBegun()) {
      // Opened before an outage: its connection died with it; do not spend a write finding out.
      session.close();
      session = null;
    }
    if (session == null) {
      sessionOutages = availability.outagesBegun();
      session = new WriterSession(opener.open(), dialect);
      log.debug("store writer connection reopened");
    }
    return session;
  }

  private void rollbackQuietly(Exception cause) {
    if (session == null) {
      return;
    }
    try {
      session.connection().rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
    if (!session.isValid()) {
      // Said once per outage by DatabaseAvailability; here only for debugging.
      log.atDebug().setCause(cause).log("store writer connection lost; reopening it for the next batch");
      session.close();
      session = null;
    }
  }

  private void failRemaining() {
    List<PendingWrite> rest = new ArrayList<>();
    queue.drainTo(rest);
    rest.forEach(write -> write.result().completeExceptionally(new UnavailableException("the store is closed")));
  }

  /** Commits what was already submitted, then stops the writer thread. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
