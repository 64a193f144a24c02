package dev.hourglass.server.cluster;

import static java.util.Objects.requireNonNull;

import dev.hourglass.store.Database;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Forwards a call this process does not serve to the active process, as bytes: the request and
 * response are never decoded, headers (client name and version, namespace, ...) go along, and so
 * does the caller's deadline, so a forwarded long poll ends when the caller's would. A forwarded
 * call carries {@value #FORWARDED_HEADER}; a process that receives one without being active
 * answers UNAVAILABLE instead of forwarding again (two processes with stale views must not bounce
 * a call between them).
 */
public final class Forwarder implements AutoCloseable {
  static final String FORWARDED_HEADER = "hourglass-forwarded-by";
  private static final Metadata.Key<String> FORWARDED = Metadata.Key.of(FORWARDED_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  /** As large as the server accepts: forwarding must not shrink what a client may send. */
  private static final int MAX_MESSAGE_BYTES = 128 * 1024 * 1024;
  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  /** How long a call without an active process waits to learn whether the store is the reason. */
  private static final java.time.Duration STORE_CHECK_TIMEOUT = java.time.Duration.ofSeconds(1);

  private final ClusterMembership membership;
  private final Database database;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public Forwarder(ClusterMembership membership, Database database) {
    this.membership = requireNonNull(membership, "membership is null");
    this.database = requireNonNull(database, "database is null");
  }

  ServerCallHandler<byte[], byte[]> handler(MethodDescriptor<byte[], byte[]> method) {
    return (serverCall, headers) -> startCall(method, serverCall, headers);
  }

  private ServerCall.Listener<byte[]> startCall(MethodDescriptor<byte[], byte[]> method, ServerCall<byte[], byte[]> serverCall,
      Metadata headers) {
    ClusterView view = membership.view();
    Optional<String> target = view.forwardTarget().map(member -> member.address());
    if (headers.containsKey(FORWARDED) || target.isEmpty()) {
      String description = headers.containsKey(FORWARDED)
          ? "this Hourglass process (" + view.self() + ") was forwarded a call by " + headers.get(FORWARDED)
              + " but does not own the shards; failover in progress, retry"
          : noActiveProcess();
      serverCall.close(Status.UNAVAILABLE.withDescription(description), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Metadata outgoing = new Metadata();
    outgoing.merge(headers);
    outgoing.put(FORWARDED, view.self());
    CallOptions options = CallOptions.DEFAULT;
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null) {
      options = options.withDeadline(deadline);
    }
    ClientCall<byte[], byte[]> clientCall = channel(target.get()).newCall(method, options);
    SerializedServerCall answer = new SerializedServerCall(serverCall);
    clientCall.start(new ClientCall.Listener<>() {
      @Override
      public void onHeaders(Metadata responseHeaders) {
        answer.sendHeaders(responseHeaders);
      }

      @Override
      public void onMessage(byte[] message) {
        answer.sendMessage(message);
        clientCall.request(1);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        answer.close(status.getCode() == Status.Code.UNAVAILABLE && status.getDescription() == null
            ? status.withDescription("the active Hourglass process at " + target.get() + " cannot be reached; retry") : status,
            trailers);
      }
    }, outgoing);
    clientCall.request(1);
    answer.request(1);
    return new ServerCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        clientCall.sendMessage(message);
        answer.request(1);
      }

      @Override
      public void onHalfClose() {
        clientCall.halfClose();
      }

      @Override
      public void onCancel() {
        clientCall.cancel("the caller cancelled the call", null);
      }
    };
  }

  /**
   * Why no process serves the call. A process that cannot reach the database gives its shards up
   * before its lease expires: then the database is the reason to name, not a failover.
   */
  private String noActiveProcess() {
    return database.checkHealth(STORE_CHECK_TIMEOUT)
        .map(problem -> problem + "; no Hourglass process can own the shards until it answers, retry")
        .orElse("no Hourglass process owns the shards yet; failover in progress, retry");
  }

  private ManagedChannel channel(String address) {
    return channels.computeIfAbsent(address, target -> NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .build());
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels.values()) {
      try {
        channel.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A server call used from two threads (the caller's listener and the forwarded call's): one at a time. */
  private static final class SerializedServerCall {
    private final ServerCall<byte[], byte[]> call;
    private boolean closed;

    SerializedServerCall(ServerCall<byte[], byte[]> call) {
      this.call = call;
    }

    synchronized void request(int messages) {
      if (!closed) {
        call.request(messages);
      }
    }

    synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        call.sendHeaders(headers);
      }
    }

    synchronized void sendMessage(byte[] message) {
      if (!closed) {
        call.sendMessage(message);
      }
    }

    synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        call.close(status, trailers);
      }
    }
  }
}
