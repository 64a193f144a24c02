package dev.hourglass.cli.client;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * TLS towards a server, with the {@code temporal} CLI's flag names: the client commands' connection
 * and {@code hourglass up --temporal-address}'s. A picocli mixin; {@code --tls-server-name} is the
 * command's own.
 */
public final class ClientTlsFlags {
  @Option(names = "--tls", description = "Connect with TLS (implied by any other --tls-* option).")
  private boolean tls;

  @Option(names = "--tls-ca-path", paramLabel = "FILE", description = "PEM file of the certificate authority that signed the server's certificate.")
  private Path tlsCaPath;

  @Option(names = "--tls-cert-path", paramLabel = "FILE", description = "PEM file of the client certificate, for mutual TLS.")
  private Path tlsCertPath;

  @Option(names = "--tls-key-path", paramLabel = "FILE", description = "PEM file (PKCS#8) of the client certificate's private key.")
  private Path tlsKeyPath;

  /**
   * TLS when any of the flags or a server name is given, else plain text.
   *
   * @param serverName the {@code --tls-server-name} of the command, which owns that flag (on
   *     {@code up} it also names the embedded server's certificate)
   */
  public Optional<TlsSettings> settings(Optional<String> serverName) {
    boolean useTls = tls || tlsCaPath != null || tlsCertPath != null || tlsKeyPath != null || serverName.isPresent();
    return useTls
        ? Optional.of(new TlsSettings(Optional.ofNullable(tlsCaPath), Optional.ofNullable(tlsCertPath), Optional.ofNullable(tlsKeyPath),
            serverName))
        : Optional.empty();
  }
}
