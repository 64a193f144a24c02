package dev.hourglass.server;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.server.api.SystemInfoService;
import dev.hourglass.server.cluster.ClusterInfoService;
import dev.hourglass.server.cluster.ClusterMembership;
import dev.hourglass.server.cluster.Forwarder;
import dev.hourglass.server.cluster.LeaseSettings;
import dev.hourglass.server.cluster.RequestRouter;
import dev.hourglass.server.management.GrpcHealthReporter;
import dev.hourglass.server.management.ManagementHttpServer;
import dev.hourglass.server.management.Readiness;
import dev.hourglass.server.management.RpcMetricsInterceptor;
import dev.hourglass.server.management.ServerMetrics;
import dev.hourglass.server.tls.ClientTls;
import dev.hourglass.server.tls.ServerTls;
import dev.hourglass.store.StoreConfig;
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
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Hourglass server process (or a server embedded in a JVM application): the gRPC frontend
 * over the engine and the store. Start with {@link #start}, stop with {@link #close}.
 *
 * <p>Lifecycle: store (file lock, migrations) → gRPC → cluster membership, which builds the engine
 * ({@link EngineInstance}: namespaces, matching, shards and history, timer queues) whenever this
 * process holds the shards — at once on SQLite, when their leases allow on a shared PostgreSQL
 * database; until then requests are forwarded to the process that holds them. Closing runs it
 * backwards: stop taking requests, end the term (release the leases), let the writer commit what
 * it has, release the file.
 */
public final class HourglassServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HourglassServer.class);
  /** Reported as server_version; the SDK only displays it. */
  public static final String VERSION = "1.27.0-hourglass";
  /** Largest gRPC message accepted: a workflow task completion may carry many 2 MB payloads. */
  private static final int MAX_INBOUND_MESSAGE_BYTES = 128 * 1024 * 1024;

  private final ServerOptions options;
  private final Database database;
  private final ClusterMembership membership;
  private final Forwarder forwarder;
  private final Server grpcServer;
  private final Optional<ClientTls> clientTls;
  private final List<ExecutorService> executors;
  private final ServerMetrics metrics;
  private final ManagementHttpServer management;
  private final int port;
  private final AtomicInteger closed = new AtomicInteger();

  private HourglassServer(ServerOptions options, Database database, ClusterMembership membership, Forwarder forwarder,
      Server grpcServer, Optional<ClientTls> clientTls, List<ExecutorService> executors, ServerMetrics metrics, ManagementHttpServer management) {
    this.options = options;
    this.database = database;
    this.membership = membership;
    this.forwarder = forwarder;
    this.grpcServer = grpcServer;
    this.clientTls = clientTls;
    this.executors = List.copyOf(executors);
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
    Optional<ServerTls> tls = loadTls(options);
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
    List<AutoCloseable> started = new ArrayList<>();
    try {
      Stores stores = database.stores();
      Clock clock = Clock.systemUTC();
      ExecutorService grpcExecutor = ServerThreads.pool("hourglass-grpc", 200);
      started.add(grpcExecutor::shutdownNow);
      String memberId = memberId();
      java.util.function.Function<java.util.Map<Integer, Long>, EngineInstance> engines =
          rangeIds -> EngineInstance.start(stores, options, rangeIds, clock, metrics.registry());
      // One process per SQLite file (its lock): every shard for good. On a shared database: leases.
      ClusterMembership membership = options.store() instanceof StoreConfig.Sqlite
          ? ClusterMembership.single(stores.shards(), memberId, options.shardCount(), engines)
          : ClusterMembership.leased(stores.shards(), memberId, options.shardCount(), LeaseSettings.defaults(), engines);
      started.add(membership);
      Forwarder forwarder = new Forwarder(membership, database, tls.map(ServerTls::peers));
      started.add(forwarder);
      ClusterInfoService clusterInfo = new ClusterInfoService(membership, database.location());
      SystemInfoService systemInfo = new SystemInfoService(VERSION, membership::shardCount,
          options.store() instanceof StoreConfig.Postgres ? "postgresql" : "sqlite");
      // After a store outage, the current term's timer queues and task queues read the store again.
      database.onRecovery(() -> membership.engine().ifPresent(EngineInstance::rescan));

      HealthStatusManager health = new HealthStatusManager();
      NettyServerBuilder grpcServerBuilder = NettyServerBuilder.forAddress(new InetSocketAddress(options.ip(), options.port()));
      tls.ifPresent(loaded -> grpcServerBuilder.sslContext(loaded.server()));
      Server grpcServer = grpcServerBuilder
          .addService(health.getHealthService())
          .intercept(new RpcMetricsInterceptor(metrics.registry()))
          // WorkflowService and OperatorService are looked up per call: this term's engine, or the active process;
          // cluster and system info are this process's own answers.
          .fallbackHandlerRegistry(new RequestRouter(membership, forwarder, List.of(clusterInfo.definition(), systemInfo.definition())))
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
      started.add(grpcServer::shutdownNow);
      String advertiseAddress = advertiseAddress(options, grpcServer.getPort());
      membership.start(advertiseAddress, options.advertiseAddress().isEmpty());
      Readiness readiness = new Readiness(database, membership);
      ExecutorService healthChecks = GrpcHealthReporter.start(health, readiness);
      started.add(healthChecks::shutdownNow);
      if (management != null) {
        management.setReadiness(readiness::check);
      }
      // Its own clients (web UI, timer worker) check the name its peers check: the one its certificate must hold anyway.
      Optional<ClientTls> clientTls = tls.map(loaded -> loaded.self().withDefaultAuthority(advertiseAddress));
      HourglassServer server = new HourglassServer(options, database, membership, forwarder, grpcServer, clientTls,
          List.of(grpcExecutor, healthChecks), metrics, management);
      log.atInfo().addKeyValue("address", server.target()).addKeyValue("store", database.location())
          .addKeyValue("managementPort", server.managementPort().isPresent() ? server.managementPort().getAsInt() : "off")
          .addKeyValue("member", memberId).addKeyValue("active", membership.ownsShards()).log("Hourglass server started");
      return server;
    } catch (RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception closeFailure) {
          e.addSuppressed(closeFailure);
        }
      }
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
   * Where other processes on the same database reach this one: the configured address, else the
   * address listened on, else (listening on every interface) this host's name.
   */
  private static String advertiseAddress(ServerOptions options, int port) {
    if (!options.advertiseAddress().isEmpty()) {
      return options.advertiseAddress();
    }
    String host = options.ip();
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "127.0.0.1";
      }
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]:" + port : host + ":" + port;
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



  private static Optional<ServerTls> loadTls(ServerOptions options) {
    try {
      return options.tls().map(ServerTls::load);
    } catch (IllegalArgumentException e) {
      throw new ServerStartException("Cannot start: " + e.getMessage(), e);
    }
  }

  /** Unique per process run: pid@host (for operators) and a random suffix (pids are reused). */
  private static String memberId() {
    return ManagementFactory.getRuntimeMXBean().getName() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /** This process's membership: whether it owns the shards, who is active, the members (readiness checks use it). */
  public ClusterMembership cluster() {
    return membership;
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

  /**
   * How a client in this process (web UI, timer worker) connects to {@link #target()} when the
   * port serves TLS: trusting the certificate this server presents, presenting it too (for mutual
   * TLS), checking the name peers check. Empty in plain text.
   */
  public Optional<ClientTls> clientTls() {
    return clientTls;
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
    membership.close();
    forwarder.close();
    ServerThreads.shutdown(executors);
    database.close();
    closeManagement(management, metrics);
    log.atInfo().addKeyValue("address", target()).log("Hourglass server stopped");
  }
}
