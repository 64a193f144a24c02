package dev.hourglass.server.testing;

import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.store.StoreConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * An Hourglass server for tests: a free port on loopback (and a free management port), a SQLite
 * file in the given folder.
 * Closing it stops the server; {@link #restart()} starts a new server on the same store and port,
 * the way an operator restarts a process.
 *
 * <p>With {@code -Dhourglass.test.store=postgresql} (or {@code HOURGLASS_TEST_STORE=postgresql})
 * the store is instead a fresh PostgreSQL database (see {@link TestingStore}), dropped when this
 * server is closed: the same tests then run on the production store.
 */
public final class TestingHourglassServer implements AutoCloseable {
  private final TestingStore store;
  private HourglassServer server;

  public TestingHourglassServer(Path directory) {
    this(directory, List.of());
  }

  public TestingHourglassServer(Path directory, List<String> namespaces) {
    this.store = TestingStore.create(directory);
    try {
      this.server = HourglassServer.start(ServerOptions.defaults().withPort(0).withManagementPort(0).withStore(store.config())
          .withNamespaces(namespaces));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** host:port for {@code WorkflowServiceStubsOptions.newBuilder().setTarget(...)}. */
  public String target() {
    return server.target();
  }

  public int port() {
    return server.port();
  }

  /** The port of the management endpoints ({@code /metrics}, {@code /health/…}): a free one, picked at each start. */
  public int managementPort() {
    return server.managementPort().orElseThrow();
  }

  /** The store this server runs on (and a restart reopens). */
  public StoreConfig store() {
    return store.config();
  }

  public HourglassServer server() {
    return server;
  }

  /** Stops the server cleanly and starts a new one on the same store and port. */
  public void restart() {
    restart(java.time.Duration.ZERO);
  }

  /** {@link #restart()}, with the server down for {@code downtime} in between (timers come due meanwhile). */
  public void restart(java.time.Duration downtime) {
    int port = server.port();
    List<String> namespaces = server.options().namespaces();
    server.close();
    try {
      Thread.sleep(downtime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the server was down", e);
    }
    server = HourglassServer.start(ServerOptions.defaults().withPort(port).withManagementPort(0).withStore(store.config())
        .withNamespaces(namespaces));
  }

  /** Stops the server and, on PostgreSQL, drops its database. */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      store.close();
    }
  }
}
