package dev.hourglass.server.cluster;

import static java.util.Objects.requireNonNull;

import dev.hourglass.server.tls.ClientTls;
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
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Forwards a call this process does not serve to the active process, as bytes: the request and
 * response are never decoded, headers (client name and version, namespace, ...) go along, and so
 * does the caller's deadline, so a forwarded long poll ends when the caller's would. A forwarded
 * call carries {@value #FORWARDED_HEADER}; a process that receives one without being active
 * answers UNAVAILABLE instead of forwarding again (two processes with stale views must not bounce
 * a call between them). A task-queue poll that cannot be served for one of these reasons — no
 * active process, or the active one gone or giving its term up — is answered "no task" after a
 * short hold instead ({@link LongPolls}): a failover is invisible to the workers.
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

  /** A held poll is answered this long before its deadline, so the answer arrives before the caller gives up. */
  private static final long DEADLINE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  /** How long a call without an active process waits to learn whether the store is the reason. */
  private static final java.time.Duration STORE_CHECK_TIMEOUT = java.time.Duration.ofSeconds(1);

  private final ClusterMembership membership;
  private final Database database;
  private final Optional<ClientTls> tls;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  /** Answers the polls held through a failover: a timer, not a thread parked per poll. */
  private final ScheduledExecutorService heldPolls = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "hourglass-held-polls");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param tls how to reach the other processes when their ports serve TLS; empty for plain text
   */
  public Forwarder(ClusterMembership membership, Database database, Optional<ClientTls> tls) {
    this.membership = requireNonNull(membership, "membership is null");
    this.database = requireNonNull(database, "database is null");
    this.tls = requireNonNull(tls, "tls is null");
  }

  ServerCallHandler<byte[], byte[]> handler(MethodDescriptor<byte[], byte[]> method) {
    return (serverCall, headers) -> startCall(method, serverCall, headers);
  }

  private ServerCall.Listener<byte[]> startCall(MethodDescriptor<byte[], byte[]> method, ServerCall<byte[], byte[]> serverCall,
      Metadata headers) {
    long startedNanos = System.nanoTime();
    Deadline deadline = Context.current().getDeadline();
    boolean longPoll = LongPolls.isLongPoll(method.getFullMethodName());
    GuardedServerCall<byte[], byte[]> answer = new GuardedServerCall<>(serverCall);
    ClusterView view = membership.view();
    Optional<String> target = view.forwardTarget().map(member -> member.address());
    if (longPoll && (headers.containsKey(FORWARDED) || target.isEmpty())) {
      answerNoTask(answer, startedNanos, deadline);
      return new ServerCall.Listener<>() {};
    }
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
    if (deadline != null) {
      options = options.withDeadline(deadline);
    }
    ClientCall<byte[], byte[]> clientCall = channel(target.get()).newCall(method, options);
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
        if (status.getCode() != Status.Code.UNAVAILABLE) {
          answer.close(status, trailers);
        } else if (longPoll) {
          answerNoTask(answer, startedNanos, deadline);
        } else if (status.getCause() != null || status.getDescription() == null) {
          // The transport failed ("io exception"), not the active process: say which process is gone.
          answer.close(Status.UNAVAILABLE.withDescription("the active Hourglass process at " + target.get() + " cannot be reached ("
              + (status.getDescription() == null ? "no answer" : status.getDescription()) + "); failover in progress, retry"),
              new Metadata());
        } else {
          answer.close(status, trailers);
        }
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
   * Answers a task-queue poll "no task" once {@link LongPolls#FAILOVER_HOLD} has passed since it
   * began, or just before its deadline when that comes first.
   */
  private void answerNoTask(GuardedServerCall<byte[], byte[]> answer, long startedNanos, Deadline deadline) {
    long delayNanos = startedNanos + LongPolls.FAILOVER_HOLD.toNanos() - System.nanoTime();
    if (deadline != null) {
      delayNanos = Math.min(delayNanos, deadline.timeRemaining(TimeUnit.NANOSECONDS) - DEADLINE_MARGIN_NANOS);
    }
    if (delayNanos <= 0) {
      answer.answerNoTask();
      return;
    }
    try {
      heldPolls.schedule(answer::answerNoTask, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      answer.close(Status.UNAVAILABLE.withDescription("this Hourglass process is stopping; retry"), new Metadata());
    }
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
    return channels.computeIfAbsent(address, target -> {
      NettyChannelBuilder channel = NettyChannelBuilder.forTarget(target).maxInboundMessageSize(MAX_MESSAGE_BYTES);
      // The processes of a cluster share one setting: TLS on every port or on none.
      return tls.map(peers -> peers.configure(channel)).orElseGet(channel::usePlaintext).build();
    });
  }

  @Override
  public void close() {
    heldPolls.shutdownNow();
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels.values()) {
      try {
        channel.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
