package dev.hourglass.server.tls;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Netty SSL contexts for gRPC from PEM files, server and client side. Each file is read and
 * checked here ({@link PemFile}), so a bad one fails with its setting and path named, and a key
 * that is not its certificate's fails at once rather than in every client's handshake; Netty
 * builds the context from what was read ({@link GrpcSslContexts}: HTTP/2 ALPN, the ciphers gRPC
 * needs).
 */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * The gRPC server's context: {@code certificate} and {@code key} presented to clients; with a
   * client CA, clients must present a certificate it signed (mutual TLS).
   *
   * @throws IllegalArgumentException naming the file when one cannot be read or used
   */
  public static SslContext server(PemFile certificate, PemFile key, Optional<PemFile> clientCa) {
    requireNonNull(certificate, "certificate is null");
    requireNonNull(key, "key is null");
    requireNonNull(clientCa, "clientCa is null");
    X509Certificate[] chain = certificate.certificates();
    PrivateKey privateKey = key.privateKeyOf(chain[0], certificate);
    SslContextBuilder builder = SslContextBuilder.forServer(privateKey, chain);
    clientCa.ifPresent(ca -> builder.trustManager(ca.certificates()).clientAuth(ClientAuth.REQUIRE));
    return build(GrpcSslContexts.configure(builder));
  }

  /**
   * A client's context: the server verified against {@code trust} (the JVM's trusted roots when
   * empty), and {@code certificate} and {@code key} presented when the server asks for one.
   *
   * @throws IllegalArgumentException naming the file when one cannot be read or used, or when
   *     only one of certificate and key is given
   */
  public static SslContext client(Optional<PemFile> trust, Optional<PemFile> certificate, Optional<PemFile> key) {
    requireNonNull(trust, "trust is null");
    requireNonNull(certificate, "certificate is null");
    requireNonNull(key, "key is null");
    if (certificate.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException(certificate.isPresent()
          ? certificate.get().setting() + " needs a private key too: a client certificate and its key go together"
          : key.get().setting() + " needs a certificate too: a client certificate and its key go together");
    }
    SslContextBuilder builder = GrpcSslContexts.forClient();
    trust.ifPresent(file -> builder.trustManager(file.certificates()));
    if (certificate.isPresent()) {
      X509Certificate[] chain = certificate.get().certificates();
      builder.keyManager(key.get().privateKeyOf(chain[0], certificate.get()), chain);
    }
    return build(builder);
  }

  private static SslContext build(SslContextBuilder builder) {
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
