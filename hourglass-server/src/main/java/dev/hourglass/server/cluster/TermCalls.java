package dev.hourglass.server.cluster;

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
 * polls that would otherwise wait a minute on an engine that is gone — are answered at once: a
 * task-queue poll with "no task" ({@link LongPolls}), anything else with the term's closing
 * status (UNAVAILABLE). Either way the SDK calls again and reaches the new owner.
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
      guarded.closeWith(closed);
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

  /** Answers every open call with {@code status} (a task-queue poll with "no task"), and every later one. */
  public void closeAll(Status status) {
    closedWith = status;
    for (GuardedCall<?, ?> call : open) {
      call.closeWith(status);
    }
  }

  /** A call of this term: it leaves the open calls when it closes. */
  private final class GuardedCall<Q, R> extends GuardedServerCall<Q, R> {
    GuardedCall(ServerCall<Q, R> delegate) {
      super(delegate);
    }

    /** Ends the call as the term closes: a task-queue poll gets the empty answer of a poll that found no task. */
    void closeWith(Status status) {
      if (LongPolls.isLongPoll(getMethodDescriptor().getFullMethodName())) {
        answerNoTask();
      } else {
        close(status, new Metadata());
      }
    }

    @Override
    protected void onClose() {
      open.remove(this);
    }
  }
}
