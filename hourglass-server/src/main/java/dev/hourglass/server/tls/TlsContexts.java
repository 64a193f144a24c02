package dev.hourglass.server.tls;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Netty SSL contexts for gRPC from PEM files, server and client side. The certificate files are
 * read and checked on their own first, so a bad file fails with its setting and path named; Netty
 * then reads the key and builds the context ({@link GrpcSslContexts}: HTTP/2 ALPN, the ciphers
 * gRPC needs).
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
    certificate.certificates();
    SslContextBuilder builder = withKey(certificate, key,
        () -> SslContextBuilder.forServer(certificate.path().toFile(), key.readable().toFile()));
    clientCa.ifPresent(ca -> builder.trustManager(ca.certificates()).clientAuth(ClientAuth.REQUIRE));
    return build(GrpcSslContexts.configure(builder), certificate, key);
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
    if (certificate.isEmpty()) {
      return build(builder, null, null);
    }
    certificate.get().certificates();
    withKey(certificate.get(), key.get(), () -> builder.keyManager(certificate.get().path().toFile(), key.get().readable().toFile()));
    return build(builder, certificate.get(), key.get());
  }

  /** Runs what makes Netty read the key: the certificate is known good by then, so a parse failure is the key's. */
  private static SslContextBuilder withKey(PemFile certificate, PemFile key, Supplier<SslContextBuilder> readKey) {
    try {
      return readKey.get();
    } catch (IllegalArgumentException e) {
      throw key.problem("is not a PKCS#8 PEM private key (unencrypted, \"BEGIN PRIVATE KEY\") of " + certificate);
    }
  }

  private static SslContext build(SslContextBuilder builder, PemFile certificate, PemFile key) {
    try {
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      // Netty checks here that the key is the certificate's (with OpenSSL) and that it can use both.
      String files = certificate == null ? "" : " with " + certificate + " and " + key;
      throw new IllegalArgumentException("cannot set up TLS" + files + ": " + e.getMessage());
    }
  }
}
