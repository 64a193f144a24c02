package dev.hourglass.server;

import static java.util.Objects.requireNonNull;

import dev.hourglass.server.tls.TlsOptions;
import dev.hourglass.store.StoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to start one Hourglass server: where it listens and where it keeps its data.
 *
 * @param ip address the gRPC frontend binds to (Temporal's {@code start-dev} default: 127.0.0.1)
 * @param port gRPC port; 0 picks a free one (tests)
 * @param store where all durable state lives: a SQLite file (created when missing) or a
 *     PostgreSQL database (which must exist; its schema is created or migrated)
 * @param namespaces namespaces to register at start besides {@code default}
 * @param shardCount number of history shards; fixed for the life of a database
 * @param managementPort port of the HTTP management endpoints ({@code /metrics}, {@code /health/live},
 *     {@code /health/ready}) on the same address; 0 picks a free one, {@link #MANAGEMENT_OFF} (-1) serves none
 * @param advertiseAddress HOST:PORT where other processes on the same database reach this one; empty for the default
 * @param tls TLS (or mutual TLS) on the gRPC port and on the connections to other processes; empty for plain text
 */
public record ServerOptions(String ip, int port, StoreConfig store, List<String> namespaces, int shardCount, int managementPort,
    String advertiseAddress, Optional<TlsOptions> tls) {
  public static final int DEFAULT_PORT = 7233;
  /** No management HTTP server (embedded servers, unless asked for one). */
  public static final int MANAGEMENT_OFF = -1;
  /** The command line's default management port is the gRPC port plus this: 9233 next to 7233. */
  public static final int MANAGEMENT_PORT_OFFSET = 2000;
  public static final int DEFAULT_SHARD_COUNT = 16;
  public static final String DEFAULT_NAMESPACE = "default";

  public ServerOptions {
    requireNonNull(ip, "ip is null");
    requireNonNull(store, "store is null");
    namespaces = List.copyOf(requireNonNull(namespaces, "namespaces is null"));
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
    if (shardCount < 1 || shardCount > 1024) {
      throw new IllegalArgumentException("shardCount must be between 1 and 1024: " + shardCount);
    }
    if (managementPort < MANAGEMENT_OFF || managementPort > 65535) {
      throw new IllegalArgumentException("management port must be between 0 and 65535, or -1 for none: " + managementPort);
    }
    requireNonNull(advertiseAddress, "advertiseAddress is null");
    if (!advertiseAddress.isEmpty() && !advertiseAddress.matches("[^\\s:]+:\\d{1,5}|\\[[0-9a-fA-F:.]+\\]:\\d{1,5}")) {
      throw new IllegalArgumentException("advertise address must be HOST:PORT: " + advertiseAddress);
    }
    requireNonNull(tls, "tls is null");
  }

  /** Options in plain text (no TLS). */
  public ServerOptions(String ip, int port, StoreConfig store, List<String> namespaces, int shardCount, int managementPort,
      String advertiseAddress) {
    this(ip, port, store, namespaces, shardCount, managementPort, advertiseAddress, Optional.empty());
  }

  /** Options with the default advertised address. */
  public ServerOptions(String ip, int port, StoreConfig store, List<String> namespaces, int shardCount, int managementPort) {
    this(ip, port, store, namespaces, shardCount, managementPort, "");
  }

  /** Options without management endpoints. */
  public ServerOptions(String ip, int port, StoreConfig store, List<String> namespaces, int shardCount) {
    this(ip, port, store, namespaces, shardCount, MANAGEMENT_OFF);
  }

  /** The management port the command line uses unless told otherwise: the gRPC port + 2000 (0 when that is 0). */
  public static int defaultManagementPort(int grpcPort) {
    if (grpcPort == 0) {
      return 0;
    }
    return grpcPort + MANAGEMENT_PORT_OFFSET <= 65535 ? grpcPort + MANAGEMENT_PORT_OFFSET : grpcPort - MANAGEMENT_PORT_OFFSET;
  }

  /** Options on a SQLite file, as {@code start-dev} and embedded servers use. */
  public ServerOptions(String ip, int port, Path dbFile, List<String> namespaces, int shardCount) {
    this(ip, port, new StoreConfig.Sqlite(requireNonNull(dbFile, "dbFile is null")), namespaces, shardCount, MANAGEMENT_OFF);
  }

  /**
   * The SQLite file of a server on the embedded store.
   *
   * @throws IllegalStateException when the store is PostgreSQL
   */
  public Path dbFile() {
    if (store instanceof StoreConfig.Sqlite sqlite) {
      return sqlite.file();
    }
    throw new IllegalStateException("the store is not a SQLite file: " + store.location());
  }

  public static ServerOptions defaults() {
    return new ServerOptions("127.0.0.1", DEFAULT_PORT, Path.of("hourglass.db"), List.of(), DEFAULT_SHARD_COUNT);
  }

  public ServerOptions withIp(String ip) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, managementPort, advertiseAddress, tls);
  }

  public ServerOptions withPort(int port) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, managementPort, advertiseAddress, tls);
  }

  public ServerOptions withDbFile(Path dbFile) {
    return new ServerOptions(ip, port, new StoreConfig.Sqlite(dbFile), namespaces, shardCount, managementPort, advertiseAddress, tls);
  }

  public ServerOptions withStore(StoreConfig store) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, managementPort, advertiseAddress, tls);
  }

  public ServerOptions withNamespaces(List<String> namespaces) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, managementPort, advertiseAddress, tls);
  }

  public ServerOptions withShardCount(int shardCount) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, managementPort, advertiseAddress, tls);
  }

  public ServerOptions withManagementPort(int managementPort) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, managementPort, advertiseAddress, tls);
  }

  public ServerOptions withAdvertiseAddress(String advertiseAddress) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, managementPort, advertiseAddress, tls);
  }

  public ServerOptions withTls(TlsOptions tls) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, managementPort, advertiseAddress, Optional.of(tls));
  }
}
