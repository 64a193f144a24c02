package dev.hourglass.cli.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every client command takes, named as in the {@code temporal} CLI: where the server
 * is, which namespace, how to print, TLS and an overall time limit. The address and namespace fall
 * back to environment variables ({@code HOURGLASS_…} first, then Temporal's {@code TEMPORAL_…}, so
 * an environment set up for {@code temporal} works), then to the defaults.
 *
 * <p>A picocli mixin, created by the command factory with the process's environment.
 */
public final class ClientOptions {
  public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";
  public static final String DEFAULT_NAMESPACE = "default";

  @Option(names = "--address", paramLabel = "HOST:PORT",
      description = "Server to talk to (default: $HOURGLASS_ADDRESS, $TEMPORAL_ADDRESS or " + DEFAULT_ADDRESS + ").")
  private String address;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAME",
      description = "Namespace (default: $HOURGLASS_NAMESPACE, $TEMPORAL_NAMESPACE or " + DEFAULT_NAMESPACE + ").")
  private String namespace;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", converter = OutputFormat.Converter.class,
      completionCandidates = OutputFormat.Candidates.class,
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private OutputFormat output = OutputFormat.TABLE;

  @Option(names = "--no-json-shorthand-payloads",
      description = "With -o json, print payloads as the protobuf mapping has them (metadata and base64 data) instead of their decoded JSON value.")
  private boolean rawPayloads;

  @Mixin
  private ClientTlsFlags tls = new ClientTlsFlags();

  @Option(names = "--tls-server-name", paramLabel = "NAME", description = "Name to verify the server's certificate against, when it differs from the address's host.")
  private String tlsServerName;

  @Option(names = "--command-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
      description = "Give up after this long, whatever the command does (e.g. 30s, 5m; default: no limit).")
  private Duration commandTimeout;

  private final Map<String, String> environment;

  public ClientOptions(Map<String, String> environment) {
    this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
  }

  /** The flags, their environment fallbacks and defaults, resolved. */
  public ConnectionSettings settings() {
    String resolvedAddress = flagOrEnv(address, "HOURGLASS_ADDRESS", "TEMPORAL_ADDRESS").orElse(DEFAULT_ADDRESS);
    String resolvedNamespace = flagOrEnv(namespace, "HOURGLASS_NAMESPACE", "TEMPORAL_NAMESPACE").orElse(DEFAULT_NAMESPACE);
    return new ConnectionSettings(resolvedAddress, resolvedNamespace, tls.settings(Optional.ofNullable(tlsServerName)), Optional.ofNullable(commandTimeout));
  }

  public OutputFormat output() {
    return output;
  }

  /** Whether JSON output shows payloads decoded (Temporal's default) rather than as raw protobuf. */
  public boolean shorthandPayloads() {
    return !rawPayloads;
  }

  private Optional<String> flagOrEnv(String flag, String... variables) {
    if (flag != null) {
      return Optional.of(flag);
    }
    for (String variable : variables) {
      String value = environment.get(variable);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }
}
