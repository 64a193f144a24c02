package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import dev.hourglass.server.tls.ClientTls;
import dev.hourglass.ui.UiOptions;
import java.util.Optional;

/**
 * Whether to serve the web UI, and on which port.
 *
 * @param enabled false with {@code --headless}
 * @param port {@code --ui-port}; empty for the server's gRPC port + 1000
 */
record UiSettings(boolean enabled, Optional<Integer> port) {
  /** What a command line without the flags asks for: the UI on the default port. */
  static final UiSettings DEFAULT = new UiSettings(true, Optional.empty());
  static final UiSettings HEADLESS = new UiSettings(false, Optional.empty());

  UiSettings {
    requireNonNull(port, "port is null");
  }

  /** The UI's options for a server bound to {@code ip} and {@code grpcPort}, reached at {@code serverTarget}. */
  UiOptions options(String ip, int grpcPort, String serverTarget) {
    return options(ip, grpcPort, serverTarget, Optional.empty());
  }

  /** Likewise, connecting over TLS when the server's port serves it. */
  UiOptions options(String ip, int grpcPort, String serverTarget, Optional<ClientTls> serverTls) {
    return new UiOptions(ip, port.orElse(UiOptions.defaultPort(grpcPort)), serverTarget, serverTls.map(ClientTls::sslContext),
        serverTls.flatMap(ClientTls::authority));
  }
}
