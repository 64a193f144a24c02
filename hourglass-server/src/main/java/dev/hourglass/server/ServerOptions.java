package dev.hourglass.server;

import static java.util.Objects.requireNonNull;

import dev.hourglass.store.StoreConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * How to start one Hourglass server: where it listens and where it keeps its data.
 *
 * @param ip address the gRPC frontend binds to (Temporal's {@code start-dev} default: 127.0.0.1)
 * @param port gRPC port; 0 picks a free one (tests)
 * @param store where all durable state lives: a SQLite file (created when missing) or a
 *     PostgreSQL database (which must exist; its schema is created or migrated)
 * @param namespaces namespaces to register at start besides {@code default}
 * @param shardCount number of history shards; fixed for the life of a database
 * @param advertiseAddress host:port other server processes on the same database use to forward
 *     requests to this one; empty for the default: {@code ip:port}, or this host's name and the
 *     port when listening on every interface
 */
public record ServerOptions(String ip, int port, StoreConfig store, List<String> namespaces, int shardCount, String advertiseAddress) {
  public static final int DEFAULT_PORT = 7233;
  public static final int DEFAULT_SHARD_COUNT = 16;
  public static final String DEFAULT_NAMESPACE = "default";

  public ServerOptions {
    requireNonNull(ip, "ip is null");
    requireNonNull(store, "store is null");
    namespaces = List.copyOf(requireNonNull(namespaces, "namespaces is null"));
    requireNonNull(advertiseAddress, "advertiseAddress is null");
    if (!advertiseAddress.isEmpty() && !advertiseAddress.matches("[^\\s:]+:\\d{1,5}|\\[[0-9a-fA-F:.]+\\]:\\d{1,5}")) {
      throw new IllegalArgumentException("advertise address must be HOST:PORT: " + advertiseAddress);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
    if (shardCount < 1 || shardCount > 1024) {
      throw new IllegalArgumentException("shardCount must be between 1 and 1024: " + shardCount);
    }
  }

  public ServerOptions(String ip, int port, StoreConfig store, List<String> namespaces, int shardCount) {
    this(ip, port, store, namespaces, shardCount, "");
  }

  /** Options on a SQLite file, as {@code start-dev} and embedded servers use. */
  public ServerOptions(String ip, int port, Path dbFile, List<String> namespaces, int shardCount) {
    this(ip, port, new StoreConfig.Sqlite(requireNonNull(dbFile, "dbFile is null")), namespaces, shardCount);
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
    return new ServerOptions(ip, port, store, namespaces, shardCount, advertiseAddress);
  }

  public ServerOptions withPort(int port) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, advertiseAddress);
  }

  public ServerOptions withDbFile(Path dbFile) {
    return new ServerOptions(ip, port, new StoreConfig.Sqlite(dbFile), namespaces, shardCount, advertiseAddress);
  }

  public ServerOptions withStore(StoreConfig store) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, advertiseAddress);
  }

  public ServerOptions withNamespaces(List<String> namespaces) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, advertiseAddress);
  }

  public ServerOptions withShardCount(int shardCount) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, advertiseAddress);
  }

  public ServerOptions withAdvertiseAddress(String advertiseAddress) {
    return new ServerOptions(ip, port, store, namespaces, shardCount, advertiseAddress);
  }
}
