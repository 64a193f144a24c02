package dev.hourglass.server;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.engine.history.HistoryEngine;
import dev.hourglass.engine.matching.MatchingEngine;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.engine.nexus.NexusEndpointRegistry;
import dev.hourglass.engine.shard.ShardController;
import dev.hourglass.engine.timer.TimerQueueConfig;
import dev.hourglass.engine.timer.TimerTarget;
import dev.hourglass.engine.visibility.RetentionSweeper;
import dev.hourglass.engine.visibility.SearchAttributeRegistry;
import dev.hourglass.engine.visibility.VisibilityService;
import dev.hourglass.server.api.ClientFeatures;
import dev.hourglass.server.api.OperatorService;
import dev.hourglass.server.api.WorkflowService;
import dev.hourglass.server.management.GrpcHealthReporter;
import dev.hourglass.server.management.ManagementHttpServer;
import dev.hourglass.server.management.Readiness;
import dev.hourglass.server.management.RpcMetricsInterceptor;
import dev.hourglass.server.management.ServerMetrics;
import dev.hourglass.store.Stores;
import dev.hourglass.store.Database;
import dev.hourglass.store.sql.SqlStores;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Hourglass server process (or a server embedded in a JVM application): the gRPC frontend
 * over the engine and the store. Start with {@link #start}, stop with {@link #close}.
 *
 * <p>Lifecycle: store (file lock, migrations) → namespaces → matching → shards and history →
 * timer queues → gRPC. Closing runs it backwards: stop taking requests, stop timers, let the
 * writer commit what it has, release the file.
 */
public final class HourglassServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HourglassServer.class);
  /** Reported as server_version; the SDK only displays it. */
  public static final String VERSION = "1.27.0-hourglass";
  /** Largest gRPC message accepted: a workflow task completion may carry many 2 MB payloads. */
  private static final int MAX_INBOUND_MESSAGE_BYTES = 128 * 1024 * 1024;

  private final ServerOptions options;
  private final Database database;
  private final ShardController shards;
  private final Server grpcServer;
  private final List<ExecutorService> executors;
  private final ServerMetrics metrics;
  private final ManagementHttpServer management;
  private final int port;
  private final AtomicInteger closed = new AtomicInteger();

  private HourglassServer(ServerOptions options, Database database, ShardController shards, Server grpcServer,
      List<ExecutorService> executors, ServerMetrics metrics, ManagementHttpServer management) {
    this.options = options;
    this.database = database;
    this.shards = shards;
    this.grpcServer = grpcServer;
    this.executors = executors;
    this.metrics = metrics;
    this.management = management;
    this.port = grpcServer.getPort();
  }

  /**
   * Starts a server; returns once it accepts requests.
   *
   * @throws ServerStartException when the port is taken, the data file is locked by another
   *     process or cannot be opened, or the database cannot be reached, refuses the credentials
   *     or has a schema newer than this binary
   */
  public static HourglassServer start(ServerOptions options) {
    requireNonNull(options, "options is null");
    checkPortFree(options);
    ServerMetrics metrics = new ServerMetrics();
    ManagementHttpServer management = startManagement(options, metrics);
    Database database;
    try {
      database = SqlStores.open(options.store(), metrics.registry());
    } catch (FailedPreconditionException | java.io.UncheckedIOException e) {
      closeManagement(management, metrics);
      throw new ServerStartException("Cannot start: " + e.getMessage(), e);
    }
    List<ExecutorService> executors = new ArrayList<>();
    ShardController shards = null;
    try {
      Stores stores = database.stores();
      Clock clock = Clock.systemUTC();
      // Task starts and timer fires each wait for a group commit (milliseconds): enough threads
      // to keep the writer's batches full, bounded so a burst queues instead of spawning.
      ExecutorService matchingExecutor = pool("hourglass-matching", 64);
      ExecutorService timerExecutor = pool("hourglass-timer-fire", 32);
      ExecutorService grpcExecutor = pool("hourglass-grpc", 200);
      java.util.concurrent.ScheduledThreadPoolExecutor scheduler = new java.util.concurrent.ScheduledThreadPoolExecutor(2,
          threads("hourglass-scheduler"));
      // At shutdown, pending long-poll deadlines need not run: their calls are cancelled anyway.
      scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      scheduler.setRemoveOnCancelPolicy(true);
      executors.addAll(List.of(matchingExecutor, timerExecutor, grpcExecutor, scheduler));

      NamespaceRegistry namespaces = new NamespaceRegistry(stores.namespaces());
      namespaces.ensure(ServerOptions.DEFAULT_NAMESPACE);
      options.namespaces().forEach(namespaces::ensure);

      MatchingEngine matching = new MatchingEngine(stores.tasks(), matchingExecutor, scheduler, clock, metrics.registry());
      AtomicReference<HistoryEngine> historyRef = new AtomicReference<>();
      TimerTarget timerTarget = timer -> historyRef.get().fireTimer(timer);
      shards = new ShardController(stores.shards(), stores.timers(), options.shardCount(), processName(), clock, timerTarget,
          timerExecutor, TimerQueueConfig.defaults(), metrics.registry());
      SearchAttributeRegistry searchAttributes = new SearchAttributeRegistry(stores.visibility());
      VisibilityService visibility = new VisibilityService(stores.visibility(), searchAttributes);
      HistoryEngine history = new HistoryEngine(stores.executions(), shards, matching, clock, scheduler, namespaces, searchAttributes);
      historyRef.set(history);
      ShardController ownedShards = shards;
      database.onRecovery(() -> {
        ownedShards.rescanTimers();
        matching.rescanBacklogs();
      });
      shards.start();
      // Retention deletes wait for commits: a thread of their own, never the shared scheduler's.
      java.util.concurrent.ScheduledThreadPoolExecutor retention = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
          threads("hourglass-retention"));
      retention.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      executors.add(retention);
      new RetentionSweeper(namespaces, stores.visibility(), history::deleteClosedRun, clock).start(retention);

      HealthStatusManager health = new HealthStatusManager();
      Server grpcServer = NettyServerBuilder.forAddress(new InetSocketAddress(options.ip(), options.port()))
          .addService(io.grpc.ServerInterceptors.intercept(new WorkflowService(namespaces, history, matching, VERSION, visibility),
              new ClientFeatures()))
          .addService(new OperatorService(namespaces, searchAttributes,
              new NexusEndpointRegistry(stores.nexusEndpoints(), namespaces, clock)))
          .addService(health.getHealthService())
          .intercept(new RpcMetricsInterceptor(metrics.registry()))
          .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
          .executor(grpcExecutor)
          .build();
      try {
        grpcServer.start();
      } catch (IOException e) {
        String reason = isAddressInUse(e)
            ? "port " + options.port() + " on " + options.ip() + " is already in use (is another server running?)"
            : e.getMessage();
        throw new ServerStartException("Cannot start: " + reason, e);
      }
      Readiness readiness = new Readiness(database, shards);
      executors.add(GrpcHealthReporter.start(health, readiness));
      if (management != null) {
        management.setReadiness(readiness::check);
      }
      HourglassServer server = new HourglassServer(options, database, shards, grpcServer, executors, metrics, management);
      log.atInfo().addKeyValue("address", server.target()).addKeyValue("store", database.location())
          .addKeyValue("managementPort", server.managementPort().isPresent() ? server.managementPort().getAsInt() : "off")
          .log("Hourglass server started");
      return server;
    } catch (RuntimeException e) {
      if (shards != null) {
        shards.close();
      }
      executors.forEach(ExecutorService::shutdownNow);
      database.close();
      closeManagement(management, metrics);
      throw e;
    }
  }

  private static ManagementHttpServer startManagement(ServerOptions options, ServerMetrics metrics) {
    if (options.managementPort() == ServerOptions.MANAGEMENT_OFF) {
      return null;
    }
    try {
      return ManagementHttpServer.start(options.ip(), options.managementPort(), metrics.registry());
    } catch (IOException e) {
      metrics.close();
      String reason = isAddressInUse(e) ? "management port " + options.managementPort() + " on " + options.ip() + " is already in use"
          : "cannot serve the management port " + options.managementPort() + ": " + e.getMessage();
      throw new ServerStartException("Cannot start: " + reason, e);
    }
  }

  private static void closeManagement(ManagementHttpServer management, ServerMetrics metrics) {
    if (management != null) {
      management.close();
    }
    metrics.close();
  }

  /**
   * Fails fast, before the data file is opened or migrated, when the port is taken. The real bind
   * below still decides (another process may take the port in between); this only makes the
   * common mistake — a second server on the same port — cheap and clear.
   */
  private static void checkPortFree(ServerOptions options) {
    if (options.port() == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(options.ip(), options.port()));
    } catch (IOException e) {
      if (isAddressInUse(e)) {
        throw new ServerStartException("Cannot start: port " + options.port() + " on " + options.ip()
            + " is already in use (is another server running?)", e);
      }
      // Any other problem (an address not on this host) is reported by the real bind below.
    }
  }

  /** gRPC's epoll transport wraps the bind failure in its own exception: look through the chain. */
  private static boolean isAddressInUse(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (cause instanceof BindException || message.contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static ExecutorService pool(String name, int maxThreads) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(maxThreads, maxThreads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        threads(name));
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static String processName() {
    return ManagementFactory.getRuntimeMXBean().getName();
  }

  public ServerOptions options() {
    return options;
  }

  /** The port actually bound (differs from the option when it was 0). */
  public int port() {
    return port;
  }

  /** host:port that clients connect to. */
  public String target() {
    return options.ip() + ":" + port();
  }

  /** The port of the management endpoints ({@code /metrics}, {@code /health/…}), when they are served. */
  public java.util.OptionalInt managementPort() {
    return management == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(management.port());
  }

  /** Where this server's data lives: the SQLite file, or the PostgreSQL URL without credentials. */
  public String dataLocation() {
    return database.location();
  }

  /** Blocks until the server has stopped. */
  public void awaitTermination() throws InterruptedException {
    grpcServer.awaitTermination();
  }

  /** Stops accepting requests, finishes in-flight commits, closes the store. Idempotent. */
  @Override
  public void close() {
    if (closed.getAndIncrement() > 0) {
      return;
    }
    grpcServer.shutdown();
    try {
      if (!grpcServer.awaitTermination(500, TimeUnit.MILLISECONDS)) {
        // Long polls are still open: answer them with CANCELLED rather than wait a minute.
        grpcServer.shutdownNow();
        grpcServer.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      grpcServer.shutdownNow();
    }
    shards.close();
    executors.forEach(ExecutorService::shutdown);
    for (ExecutorService executor : executors) {
      try {
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    database.close();
    closeManagement(management, metrics);
    log.atInfo().addKeyValue("address", target()).log("Hourglass server stopped");
  }
}
