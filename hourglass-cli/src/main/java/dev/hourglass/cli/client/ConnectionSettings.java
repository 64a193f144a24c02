package dev.hourglass.cli.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Where and how a client command connects, once flags and environment are resolved.
 *
 * @param address host:port of the server
 * @param namespace the namespace requests name
 * @param tls present when the connection uses TLS
 * @param commandTimeout the most the whole command may take
 */
public record ConnectionSettings(String address, String namespace, Optional<TlsSettings> tls, Optional<Duration> commandTimeout) {
  public ConnectionSettings {
    requireNonNull(address, "address is null");
    requireNonNull(namespace, "namespace is null");
    requireNonNull(tls, "tls is null");
    requireNonNull(commandTimeout, "commandTimeout is null");
  }
}
