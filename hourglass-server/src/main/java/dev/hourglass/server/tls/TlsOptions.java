package dev.hourglass.server.tls;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS on the gRPC port, and on the connections this process opens to other processes on the same
 * database (forwarded calls) and to itself (web UI, timer worker).
 *
 * @param certFile PEM certificate chain the server presents; also the client certificate towards peers
 * @param keyFile PKCS#8 PEM private key of that certificate
 * @param clientCaFile PEM CA certificates a client's certificate must be signed by: mutual TLS when present
 * @param caFile PEM CA certificates that signed the peers' server certificates; when absent, the
 *     client CA (peers present certificates of the same PKI), else the JVM's trusted roots
 * @param serverName the name checked in peers' certificates instead of their advertised host
 */
public record TlsOptions(Path certFile, Path keyFile, Optional<Path> clientCaFile, Optional<Path> caFile, Optional<String> serverName) {
  public TlsOptions {
    requireNonNull(certFile, "certFile is null");
    requireNonNull(keyFile, "keyFile is null");
    requireNonNull(clientCaFile, "clientCaFile is null");
    requireNonNull(caFile, "caFile is null");
    requireNonNull(serverName, "serverName is null");
    if (serverName.isPresent() && serverName.get().isBlank()) {
      throw new IllegalArgumentException("TLS server name must not be blank");
    }
  }

  /** TLS with the server's certificate only: clients need no certificate. */
  public static TlsOptions serverOnly(Path certFile, Path keyFile) {
    return new TlsOptions(certFile, keyFile, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Mutual TLS: clients must present a certificate signed by {@code clientCaFile}. */
  public static TlsOptions mutual(Path certFile, Path keyFile, Path clientCaFile) {
    return new TlsOptions(certFile, keyFile, Optional.of(clientCaFile), Optional.empty(), Optional.empty());
  }

}
