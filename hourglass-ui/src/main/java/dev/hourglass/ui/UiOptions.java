package dev.hourglass.ui;

import static java.util.Objects.requireNonNull;

/**
 * Where the web UI listens and which server it shows.
 *
 * @param ip the address the UI binds to
 * @param port its HTTP port, 0 for any free one
 * @param serverTarget the gRPC address of the server it reads, host:port, reached like any client
 */
public record UiOptions(String ip, int port, String serverTarget) {
  /** The UI's port is the server's gRPC port plus this, as {@code temporal server start-dev} has it (7233 → 8233). */
  public static final int PORT_OFFSET = 1000;

  public UiOptions {
    requireNonNull(ip, "ip is null");
    requireNonNull(serverTarget, "serverTarget is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("UI port must be between 0 and 65535: " + port);
    }
  }

  /** The default UI port for a server listening on {@code grpcPort}; 0 (any free port) stays 0. */
  public static int defaultPort(int grpcPort) {
    return grpcPort == 0 ? 0 : grpcPort + PORT_OFFSET;
  }
}
