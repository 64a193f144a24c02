package dev.hourglass.server.cluster;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls an engine term is serving, so that when the term ends the calls still open — long
 * polls that would otherwise wait a minute on an engine that is gone — are answered at once
 * (UNAVAILABLE: the SDK polls again and reaches the new owner).
 */
public final class TermCalls implements ServerInterceptor {
  private final Set<GuardedCall<?, ?>> open = ConcurrentHashMap.newKeySet();
  private volatile Status closedWith;

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    GuardedCall<Q, R> guarded = new GuardedCall<>(call);
    open.add(guarded);
    Status closed = closedWith;
    if (closed != null) {
      guarded.close(closed, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(guarded, headers)) {
      @Override
      public void onCancel() {
        open.remove(guarded);
        super.onCancel();
      }

      @Override
      public void onComplete() {
        open.remove(guarded);
        super.onComplete();
      }
    };
  }

  /** Answers every open call with {@code status}, and every later one. */
  public void closeAll(Status status) {
    closedWith = status;
    for (GuardedCall<?, ?> call : open) {
      call.close(status, new Metadata());
    }
  }

  /** A call that can be closed from another thread than its handler's: the first close wins, later sends are dropped. */
  private final class GuardedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private boolean done;

    GuardedCall(ServerCall<Q, R> delegate) {
      super(delegate);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!done) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!done) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (done) {
        return;
      }
      done = true;
      open.remove(this);
      super.close(status, trailers);
    }
  }
}
