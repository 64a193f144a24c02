package dev.hourglass.server.tls;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.util.Optional;

/**
 * A server's TLS, loaded from its {@link TlsOptions}: the context its gRPC port serves with, and
 * the client side it connects with — to other processes (forwarded calls) and to itself (web UI,
 * timer worker) —, presenting its own certificate so that a peer requiring client certificates
 * accepts it.
 *
 * @param server the gRPC server's context
 * @param client the context, and the name to check, for connections this process opens
 */
public record ServerTls(SslContext server, ClientTls client) {
  public ServerTls {
    requireNonNull(server, "server is null");
    requireNonNull(client, "client is null");
  }

  /**
   * Reads and checks every file.
   *
   * @throws IllegalArgumentException naming the setting and file that cannot be read or used
   */
  public static ServerTls load(TlsOptions options) {
    requireNonNull(options, "options is null");
    PemFile certificate = new PemFile("TLS certificate file", options.certFile());
    PemFile key = new PemFile("TLS key file", options.keyFile());
    Optional<PemFile> clientCa = options.clientCaFile().map(path -> new PemFile("TLS client CA file", path));
    Optional<PemFile> peerTrust = options.caFile().map(path -> new PemFile("TLS CA file", path)).or(() -> clientCa);
    SslContext server = TlsContexts.server(certificate, key, clientCa);
    SslContext client = TlsContexts.client(peerTrust, Optional.of(certificate), Optional.of(key));
    return new ServerTls(server, new ClientTls(client, options.serverName()));
  }
}
