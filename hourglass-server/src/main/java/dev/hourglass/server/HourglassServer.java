package dev.hourglass.server;

import static java.util.Objects.requireNonNull;

/**
 * One Hourglass server process (or a server embedded in a JVM application): the gRPC frontend
 * over the engine and the store. Start with {@link #start}, stop with {@link #close}.
 */
public final class HourglassServer implements AutoCloseable {
  private final ServerOptions options;
  private final int port;

  private HourglassServer(ServerOptions options, int port) {
    this.options = requireNonNull(options, "options is null");
    this.port = port;
  }

  /**
   * Starts a server; returns once it accepts requests.
   *
   * @throws ServerStartException when the port is taken, the data file is locked by another
   *     process or cannot be opened
   */
  public static HourglassServer start(ServerOptions options) {
    throw new UnsupportedOperationException("not yet wired");
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
    return options.ip() + ":" + port;
  }

  /** Blocks until the server has stopped. */
  public void awaitTermination() throws InterruptedException {
  }

  /** Stops accepting requests, finishes in-flight commits, closes the store. Idempotent. */
  @Override
  public void close() {
  }
}
