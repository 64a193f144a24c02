package dev.hourglass.server.tls;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.util.Optional;

/**
 * A server's TLS, loaded from its {@link TlsOptions}: the context its gRPC port serves with, and
 * the client side of the connections it opens, presenting its own certificate so that a port
 * requiring client certificates accepts them.
 *
 * @param server the gRPC server's context
 * @param peers for forwarding to other processes: their certificates checked against the CA file,
 *     else the client CA, else the JVM's trusted roots
 * @param self for clients in this process (web UI, timer worker) connecting to its own port: they
 *     trust exactly the certificate it serves, whichever CA signed it
 */
public record ServerTls(SslContext server, ClientTls peers, ClientTls self) {
  public ServerTls {
    requireNonNull(server, "server is null");
    requireNonNull(peers, "peers is null");
    requireNonNull(self, "self is null");
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
    SslContext peers = TlsContexts.client(peerTrust, Optional.of(certificate), Optional.of(key));
    SslContext self = TlsContexts.client(Optional.of(certificate), Optional.of(certificate), Optional.of(key));
    return new ServerTls(server, new ClientTls(peers, options.serverName()), new ClientTls(self, options.serverName()));
  }
}
