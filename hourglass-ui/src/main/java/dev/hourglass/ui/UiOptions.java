package dev.hourglass.ui;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.util.Optional;

/**
 * Where the web UI listens and which server it shows.
 *
 * @param ip the address the UI binds to
 * @param port its HTTP port, 0 for any free one
 * @param serverTarget the gRPC address of the server it reads, host:port, reached like any client
 * @param serverTls the client TLS context when the server's port serves TLS; empty for plain text
 * @param serverName the name to check in the server's certificate instead of the target's host
 */
public record UiOptions(String ip, int port, String serverTarget, Optional<SslContext> serverTls, Optional<String> serverName) {
  /** The UI's port is the server's gRPC port plus this, as {@code temporal server start-dev} has it (7233 → 8233). */
  public static final int PORT_OFFSET = 1000;

  public UiOptions {
    requireNonNull(ip, "ip is null");
    requireNonNull(serverTarget, "serverTarget is null");
    requireNonNull(serverTls, "serverTls is null");
    requireNonNull(serverName, "serverName is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("UI port must be between 0 and 65535: " + port);
    }
  }

  /** A UI on a server in plain text. */
  public UiOptions(String ip, int port, String serverTarget) {
    this(ip, port, serverTarget, Optional.empty(), Optional.empty());
  }

  /** The default UI port for a server listening on {@code grpcPort}; 0 (any free port) stays 0. */
  public static int defaultPort(int grpcPort) {
    return grpcPort == 0 ? 0 : grpcPort + PORT_OFFSET;
  }
}
