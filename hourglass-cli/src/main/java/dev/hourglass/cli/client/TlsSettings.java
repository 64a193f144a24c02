package dev.hourglass.cli.client;

import static java.util.Objects.requireNonNull;

import dev.hourglass.server.tls.ClientTls;
import dev.hourglass.server.tls.PemFile;
import dev.hourglass.server.tls.TlsContexts;
import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS for the connection. Without a CA file the JVM's trusted roots verify the server; a client
 * certificate needs both the certificate and its key.
 */
public record TlsSettings(Optional<Path> caPath, Optional<Path> certPath, Optional<Path> keyPath, Optional<String> serverName) {
  public TlsSettings {
    requireNonNull(caPath, "caPath is null");
    requireNonNull(certPath, "certPath is null");
    requireNonNull(keyPath, "keyPath is null");
    requireNonNull(serverName, "serverName is null");
  }

  /**
   * The TLS of a connection with these settings.
   *
   * @throws InvalidSettingsException when a file cannot be read or a client certificate lacks its key
   */
  public ClientTls clientTls() {
    try {
      return new ClientTls(TlsContexts.client(caPath.map(path -> new PemFile("--tls-ca-path", path)),
          certPath.map(path -> new PemFile("--tls-cert-path", path)), keyPath.map(path -> new PemFile("--tls-key-path", path))), serverName);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingsException(e.getMessage(), e);
    }
  }
}
