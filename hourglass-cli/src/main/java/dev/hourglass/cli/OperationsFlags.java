package dev.hourglass.cli;

import picocli.CommandLine.Option;

/**
 * {@code --management-port} and {@code --log-format}, shared by the commands that start a server
 * ({@code server start-dev}, {@code server start}, {@code up}); each command resolves them against
 * its own fallbacks (the gRPC port, the environment, a config file).
 */
final class OperationsFlags {
  @Option(names = "--management-port", paramLabel = "PORT", description = "Port of the HTTP management endpoints /metrics, "
      + "/health/live and /health/ready, on the same address; 0 picks a free one, -1 serves none "
      + "(default: the gRPC port + 2000, 9233).")
  private Integer managementPort;

  @Option(names = "--log-format", paramLabel = "FORMAT", converter = LogFormat.Converter.class, completionCandidates = LogFormat.Candidates.class,
      description = "Log output: ${COMPLETION-CANDIDATES}; json is one object per line with key-values as fields (env: " + LogFormat.ENV + "; default: text).")
  private LogFormat logFormat;

  /** The flag's value, or null when not given. */
  Integer managementPort() {
    return managementPort;
  }

  /** The flag's value, or null when not given. */
  LogFormat logFormat() {
    return logFormat;
  }
}
