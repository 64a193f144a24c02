package dev.hourglass.cli;

import picocli.CommandLine.Option;

/**
 * {@code --ui-port} and {@code --headless}, shared by the commands that start a server
 * ({@code server start-dev}, {@code server start}, {@code up}); named as in {@code temporal server start-dev}.
 */
final class UiFlags {
  @Option(names = "--ui-port", paramLabel = "PORT",
      description = "Port of the web UI, on the same address as the server (default: the gRPC port + 1000, 8233).")
  private Integer port;

  @Option(names = "--headless", description = "Do not serve the web UI.")
  private boolean headless;

  UiSettings settings() {
    if (port != null && (port < 0 || port > 65535)) {
      throw new IllegalArgumentException("--ui-port must be between 0 and 65535: " + port);
    }
    return new UiSettings(!headless, java.util.Optional.ofNullable(port));
  }
}
