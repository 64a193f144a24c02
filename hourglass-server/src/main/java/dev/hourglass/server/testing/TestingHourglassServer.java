package dev.hourglass.server.testing;

import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An Hourglass server for tests: a free port on loopback, a SQLite file in the given folder.
 * Closing it stops the server; {@link #restart()} starts a new server on the same file and port,
 * the way an operator restarts a process.
 */
public final class TestingHourglassServer implements AutoCloseable {
  private final Path dbFile;
  private HourglassServer server;

  public TestingHourglassServer(Path directory) {
    this(directory, List.of());
  }

  public TestingHourglassServer(Path directory, List<String> namespaces) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.dbFile = directory.resolve("hourglass.db");
    this.server = HourglassServer.start(ServerOptions.defaults().withPort(0).withDbFile(dbFile).withNamespaces(namespaces));
  }

  /** host:port for {@code WorkflowServiceStubsOptions.newBuilder().setTarget(...)}. */
  public String target() {
    return server.target();
  }

  public int port() {
    return server.port();
  }

  public Path dbFile() {
    return dbFile;
  }

  public HourglassServer server() {
    return server;
  }

  /** Stops the server cleanly and starts a new one on the same file and port. */
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
    server = HourglassServer.start(ServerOptions.defaults().withPort(port).withDbFile(dbFile).withNamespaces(namespaces));
  }

  @Override
  public void close() {
    server.close();
  }
}
