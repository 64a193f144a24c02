package dev.hourglass.server.api;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Temporal's frontend accepts requests up to gRPC's default 4 MB and refuses larger ones with
 * grpc-go's RESOURCE_EXHAUSTED "grpc: received message larger than max (N vs. M)". The SDKs
 * recognise that text: a workflow task completion refused this way is reported back as
 * RespondWorkflowTaskFailed with cause GRPC_MESSAGE_TOO_LARGE, which terminates the run instead
 * of retrying the same oversized task for ever. grpc-java's own limit words it differently, so
 * the transport accepts more and this interceptor applies Temporal's limit with Temporal's words.
 */
public final class MessageSizeLimit implements ServerInterceptor {
  /** gRPC's default, which Temporal's frontend keeps. */
  public static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        int size = message instanceof MessageLite proto ? proto.getSerializedSize() : 0;
        if (size > MAX_REQUEST_BYTES) {
          refused = true;
          call.close(Status.RESOURCE_EXHAUSTED.withDescription(
              String.format("grpc: received message larger than max (%d vs. %d)", size, MAX_REQUEST_BYTES)), new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        // The call is closed already; the handler must not run without its request.
        if (!refused) {
          super.onHalfClose();
        }
      }
    };
  }
}
