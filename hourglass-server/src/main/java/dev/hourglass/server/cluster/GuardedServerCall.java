package dev.hourglass.server.cluster;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.io.ByteArrayInputStream;

/**
 * A server call that more than one thread may answer — the handler, a forwarded call's listener,
 * a term closing, a held poll's timer — one at a time: the first close wins, and whatever is sent
 * after it is dropped.
 */
class GuardedServerCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
  private boolean closed;
  private boolean headersSent;

  GuardedServerCall(ServerCall<Q, R> delegate) {
    super(delegate);
  }

  /**
   * The answer of a task-queue poll that found no task: the response with every field at its
   * default, as at the end of a long poll ({@link LongPolls}).
   */
  synchronized void answerNoTask() {
    if (closed) {
      return;
    }
    if (!headersSent) {
      sendHeaders(new Metadata());
    }
    sendMessage(getMethodDescriptor().parseResponse(new ByteArrayInputStream(new byte[0])));
    close(Status.OK, new Metadata());
  }

  @Override
  public synchronized void request(int messages) {
    if (!closed) {
      super.request(messages);
    }
  }

  @Override
  public synchronized void sendHeaders(Metadata headers) {
    if (!closed) {
      headersSent = true;
      super.sendHeaders(headers);
    }
  }

  @Override
  public synchronized void sendMessage(R message) {
    if (!closed) {
      super.sendMessage(message);
    }
  }

  @Override
  public synchronized void close(Status status, Metadata trailers) {
    if (closed) {
      return;
    }
    closed = true;
    onClose();
    super.close(status, trailers);
  }

  /** Called once, as the call closes. */
  protected void onClose() {}
}
