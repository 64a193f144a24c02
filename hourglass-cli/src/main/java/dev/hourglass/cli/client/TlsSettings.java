package dev.hourglass.cli.client;

import static java.util.Objects.requireNonNull;

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
}
