package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.StoreUnavailableException;
import dev.hourglass.common.UnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database answers, as this process last saw it: a circuit breaker in front of every
 * read and write.
 *
 * <p>Why: with the database gone, every call would otherwise wait for the pool's connection
 * timeout before failing, and every background loop would log each failure. Instead, the first
 * call that meets a lost connection opens an <em>outage</em>: it is logged once, calls fail at once
 * with {@link StoreUnavailableException} (UNAVAILABLE, with what was seen and since when), and a
 * probe on a connection of its own (not the pools', whose waits are long) checks every second
 * whether the database is back. When it is, the outage is closed (logged once), the pools'
 * connections are renewed, and the recovery listeners run: the engine then re-reads timers and
 * backlogs, because a commit whose acknowledgement the cut swallowed may have landed unannounced.
 *
 * <p>Only connection failures (SQLSTATE class 08, PostgreSQL's 57P shutdown states) open an
 * outage: a conflict or a constraint is the caller's business, and a pool wait that timed out
 * under load without a connection error is not an outage.
 */
final class DatabaseAvailability implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);
  private static final long PROBE_INTERVAL_MILLIS = 1_000;

  /** Opens a fresh connection (not a pooled one) and runs a trivial query. */
  @FunctionalInterface
  interface Probe {
    void run() throws SQLException;
  }

  private record Outage(Instant since, String reason) {}

  private final String description;
  private final Probe probe;
  private final Runnable renewConnections;
  private final ScheduledExecutorService prober;
  private final List<Runnable> recoveryListeners = new CopyOnWriteArrayList<>();
  private final AtomicReference<Outage> outage = new AtomicReference<>();
  private final AtomicReference<CompletableFuture<Optional<String>>> healthCheck = new AtomicReference<>();
  private final Counter outages;
  /** Outages begun so far: a connection opened before the latest one began is presumed dead. */
  private final java.util.concurrent.atomic.AtomicLong outagesBegun = new java.util.concurrent.atomic.AtomicLong();
  private final Object probeLock = new Object();
  /** When the last successful probe started (System.nanoTime); guarded by probeLock. */
  private long lastAnswerNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

  /**
   * @param description what the database is, for messages: "the PostgreSQL database postgresql://…"
   * @param renewConnections discards the pools' connections, which died with the outage
   */
  DatabaseAvailability(String description, Probe probe, Runnable renewConnections, MeterRegistry metrics) {
    this.description = requireNonNull(description, "description is null");
    this.probe = requireNonNull(probe, "probe is null");
    this.renewConnections = requireNonNull(renewConnections, "renewConnections is null");
    this.prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "hourglass-store-probe");
      thread.setDaemon(true);
      return thread;
    });
    this.outages = Counter.builder("persistence_outages").description("Times the database became unreachable")
        .register(metrics);
    Gauge.builder("persistence_available", this, availability -> availability.outage.get() == null ? 1 : 0)
        .description("1 while the database answers, 0 during an outage").register(metrics);
  }

  /** Runs after every outage ends, on the probe thread; must not block for long. */
  void addRecoveryListener(Runnable listener) {
    recoveryListeners.add(requireNonNull(listener, "listener is null"));
  }

  /** How many outages have begun; a holder of a long-lived connection compares it with the count when it opened it. */
  long outagesBegun() {
    return outagesBegun.get();
  }

  /** Fails at once, without touching a connection, while the database is known to be unreachable. */
  void checkAvailable() {
    Outage current = outage.get();
    if (current != null) {
      throw unavailable(current);
    }
  }

  /**
   * The exception a failed database call is answered with. For a lost connection, the database is
   * probed at once on a fresh connection: if it answers, only that connection had died (the
   * database restarted already, or a connection was terminated) and the caller gets an
   * {@link UnavailableException} to retry; if it does not, an outage starts and the caller gets a
   * {@link StoreUnavailableException}, as does every call until the database is back. For any
   * other error, an {@link UnavailableException} carrying the database's message.
   */
  UnavailableException failed(String action, SQLException error) {
    long failedAtNanos = System.nanoTime();
    if (!isConnectionFailure(error)) {
      return withCause(new UnavailableException("the store could not " + action + ": " + error.getMessage()), error);
    }
    String reason = firstLine(error.getMessage());
    Outage current = outage.get();
    if (current == null && !answeredSince(failedAtNanos)) {
      current = startOutage(reason);
    }
    if (current == null) {
      return withCause(new UnavailableException("the connection to " + description + " was lost (" + reason
          + "); the database answers again, retry"), error);
    }
    return withCause(unavailable(current), error);
  }

  /**
   * Whether the database answered a probe after {@code sinceNanos}: probes now unless one that
   * started later already succeeded, so a burst of failures from one restart probes once.
   */
  private boolean answeredSince(long sinceNanos) {
    synchronized (probeLock) {
      if (outage.get() != null) {
        return false;
      }
      if (lastAnswerNanos - sinceNanos > 0) {
        return true;
      }
      long probeStartNanos = System.nanoTime();
      try {
        probe.run();
      } catch (SQLException | RuntimeException e) {
        return false;
      }
      lastAnswerNanos = probeStartNanos;
      renewConnections.run();
      return true;
    }
  }

  private static <E extends UnavailableException> E withCause(E failure, SQLException cause) {
    failure.initCause(cause);
    return failure;
  }

  /**
   * Empty when the database answered a trivial query within {@code timeout}; otherwise why not.
   * Concurrent checks share one query, so a slow database is not asked twice at once.
   */
  Optional<String> check(Duration timeout, Runnable trivialQuery) {
    Outage current = outage.get();
    if (current != null) {
      return Optional.of(unavailable(current).getMessage());
    }
    CompletableFuture<Optional<String>> check = runningCheck(trivialQuery);
    try {
      return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Optional.of(description + " did not answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      return Optional.of(String.valueOf(e.getCause().getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking " + description);
    }
  }

  private synchronized CompletableFuture<Optional<String>> runningCheck(Runnable trivialQuery) {
    CompletableFuture<Optional<String>> running = healthCheck.get();
    if (running != null && !running.isDone()) {
      return running;
    }
    CompletableFuture<Optional<String>> fresh = CompletableFuture.supplyAsync(() -> {
      try {
        trivialQuery.run();
        return Optional.<String>empty();
      } catch (RuntimeException e) {
        return Optional.of(e.getMessage());
      }
    }, prober);
    healthCheck.set(fresh);
    return fresh;
  }

  /** SQLSTATE class 08 (connection exception) or 57P (operator intervention: shutdown, terminated), or the pool's wait for one. */
  static boolean isConnectionFailure(SQLException error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the pool could not even hand out a connection (its wait timed out): trying again would wait as long. */
  static boolean isPoolTimeout(SQLException error) {
    return error instanceof SQLTransientConnectionException;
  }

  private Outage startOutage(String reason) {
    Outage fresh = new Outage(Instant.now(), reason);
    if (!outage.compareAndSet(null, fresh)) {
      return outage.get() == null ? fresh : outage.get();
    }
    outagesBegun.incrementAndGet();
    outages.increment();
    log.atError().addKeyValue("database", description).addKeyValue("reason", reason)
        .log("{} is unreachable ({}); requests fail with UNAVAILABLE and background work pauses until it answers again",
            description, reason);
    prober.schedule(this::probe, PROBE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    return fresh;
  }

  private void probe() {
    try {
      probe.run();
    } catch (SQLException | RuntimeException e) {
      log.atDebug().addKeyValue("database", description).setCause(e).log("database still unreachable");
      prober.schedule(this::probe, PROBE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
      return;
    }
    renewConnections.run();
    Outage ended = outage.getAndSet(null);
    long seconds = ended == null ? 0 : Duration.between(ended.since(), Instant.now()).toSeconds();
    log.atInfo().addKeyValue("database", description).addKeyValue("outageSeconds", seconds)
        .log("{} answers again after {} s; resuming", description, seconds);
    for (Runnable listener : recoveryListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.atWarn().setCause(e).log("a store recovery listener failed");
      }
    }
  }

  private StoreUnavailableException unavailable(Outage current) {
    long seconds = Duration.between(current.since(), Instant.now()).toSeconds();
    return new StoreUnavailableException(description + " is unreachable (for " + seconds + " s, since " + current.since()
        + "): " + current.reason() + "; retry later");
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message);
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).trim();
  }

  @Override
  public void close() {
    prober.shutdownNow();
  }
}
