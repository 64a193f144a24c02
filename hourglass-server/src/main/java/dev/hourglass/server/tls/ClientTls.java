package dev.hourglass.server.tls;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.Optional;

/**
 * How a client of an Hourglass server connects over TLS: the client context (trusted CAs, the
 * certificate it presents) and, when the name in the server's certificate is not the target's
 * host, the name to check instead.
 */
public record ClientTls(SslContext sslContext, Optional<String> authority) {
  public ClientTls {
    requireNonNull(sslContext, "sslContext is null");
    requireNonNull(authority, "authority is null");
    if (!sslContext.isClient()) {
      throw new IllegalArgumentException("not a client SSL context");
    }
  }

  /** This, checking {@code authority} when no name was given explicitly. */
  public ClientTls withDefaultAuthority(String defaultAuthority) {
    return new ClientTls(sslContext, authority.or(() -> Optional.of(defaultAuthority)));
  }

  /** A raw gRPC channel to the server over TLS. */
  public NettyChannelBuilder configure(NettyChannelBuilder channel) {
    channel.sslContext(sslContext);
    authority.ifPresent(channel::overrideAuthority);
    return channel;
  }

  /** The Temporal SDK's connection to the server over TLS. */
  public WorkflowServiceStubsOptions.Builder configure(WorkflowServiceStubsOptions.Builder options) {
    options.setSslContext(sslContext);
    authority.ifPresent(name -> options.setChannelInitializer(channel -> channel.overrideAuthority(name)));
    return options;
  }
}
