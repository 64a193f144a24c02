package dev.hourglass.cli;

import static dev.hourglass.cli.Fallbacks.first;

import dev.hourglass.server.ServerOptions;
import dev.hourglass.server.tls.TlsOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * TLS on the gRPC port, shared by the commands that start a server ({@code server start-dev},
 * {@code server start}, {@code up}). Each setting is its flag, else its environment variable,
 * else the {@code server.tls} section of a config file ({@code server start} only).
 */
final class ServerTlsFlags {
  static final String ENV_CERT_FILE = "HOURGLASS_TLS_CERT_FILE";
  static final String ENV_KEY_FILE = "HOURGLASS_TLS_KEY_FILE";
  static final String ENV_CLIENT_CA_FILE = "HOURGLASS_TLS_CLIENT_CA_FILE";
  static final String ENV_CA_FILE = "HOURGLASS_TLS_CA_FILE";
  static final String ENV_SERVER_NAME = "HOURGLASS_TLS_SERVER_NAME";

  @Option(names = "--tls-cert-file", paramLabel = "FILE",
      description = "PEM certificate chain of the gRPC port; with --tls-key-file, turns TLS on (env: " + ENV_CERT_FILE + ").")
  private Path certFile;

  @Option(names = "--tls-key-file", paramLabel = "FILE", description = "PKCS#8 PEM private key of that certificate (env: " + ENV_KEY_FILE + ").")
  private Path keyFile;

  @Option(names = "--tls-client-ca-file", paramLabel = "FILE",
      description = "PEM CA certificate(s): clients must present a certificate signed by one (mutual TLS) (env: " + ENV_CLIENT_CA_FILE + ").")
  private Path clientCaFile;

  @Option(names = "--tls-ca-file", paramLabel = "FILE",
      description = "PEM CA certificate(s) that signed the other server processes' certificates, for forwarding (env: " + ENV_CA_FILE
          + "; default: --tls-client-ca-file, else the JVM's trusted roots).")
  private Path caFile;

  @Option(names = "--tls-server-name", paramLabel = "NAME",
      description = "Name to check in the other processes' certificates instead of their advertised host (env: " + ENV_SERVER_NAME + ").")
  private String serverName;

  /** The {@code --tls-server-name} flag alone: on {@code up --temporal-address}, the name in the external server's certificate. */
  Optional<String> serverNameFlag() {
    return nonBlank(serverName);
  }

  /**
   * {@code server} with the TLS these settings give it, or as it is for plain text.
   *
   * @throws IllegalArgumentException as {@link #resolve}
   */
  ServerOptions applyTo(ServerOptions server, Map<String, String> environment, ServerConfigFile.Tls file, Path workingDirectory) {
    return resolve(environment, file, workingDirectory).map(server::withTls).orElse(server);
  }

  /**
   * The TLS options, or empty for plain text.
   *
   * @param file the config file's {@code server.tls} section; {@link ServerConfigFile.Tls#NONE} without one
   * @param workingDirectory what relative paths are relative to
   * @throws IllegalArgumentException when a setting is given without the certificate and key it needs
   */
  private Optional<TlsOptions> resolve(Map<String, String> environment, ServerConfigFile.Tls file, Path workingDirectory) {
    Optional<Path> cert = path(certFile, environment.get(ENV_CERT_FILE), file.certFile(), workingDirectory);
    Optional<Path> key = path(keyFile, environment.get(ENV_KEY_FILE), file.keyFile(), workingDirectory);
    Optional<Path> clientCa = path(clientCaFile, environment.get(ENV_CLIENT_CA_FILE), file.clientCaFile(), workingDirectory);
    Optional<Path> ca = path(caFile, environment.get(ENV_CA_FILE), file.caFile(), workingDirectory);
    Optional<String> name = first(Optional.ofNullable(serverName), nonBlank(environment.get(ENV_SERVER_NAME)), nonBlank(file.serverName()));
    if (cert.isEmpty() && key.isEmpty()) {
      if (clientCa.isPresent() || ca.isPresent() || name.isPresent()) {
        throw new IllegalArgumentException("--tls-client-ca-file, --tls-ca-file and --tls-server-name need --tls-cert-file and --tls-key-file");
      }
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new IllegalArgumentException("--tls-cert-file and --tls-key-file go together: TLS needs the certificate and its private key");
    }
    return Optional.of(new TlsOptions(cert.get(), key.get(), clientCa, ca, name));
  }

  /** The flag, else the variable, else the file's value; relative to the working directory, as the flags' paths are. */
  private static Optional<Path> path(Path flag, String variable, String fileValue, Path workingDirectory) {
    return first(Optional.ofNullable(flag).map(Path::toString), nonBlank(variable), nonBlank(fileValue))
        .map(workingDirectory::resolve)
        .map(Path::normalize);
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).map(String::trim).filter(trimmed -> !trimmed.isEmpty());
  }
}
