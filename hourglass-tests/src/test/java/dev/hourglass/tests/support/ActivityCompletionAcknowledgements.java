package dev.hourglass.tests.support;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A gRPC client interceptor that remembers the task token of every {@code RespondActivityTaskCompleted}
 * the server answered with OK. An OK means the server committed the completion, so after a crash that
 * activity must never run again; an activity whose completion was not acknowledged may (at-least-once).
 */
public final class ActivityCompletionAcknowledgements implements ClientInterceptor {
  private static final String RESPOND_COMPLETED =
      WorkflowServiceGrpc.getRespondActivityTaskCompletedMethod().getFullMethodName();

  private final Set<ByteString> acknowledgedTaskTokens = ConcurrentHashMap.newKeySet();

  /** Task tokens acknowledged so far; a copy, so a test can freeze the set at the instant of a crash. */
  public Set<ByteString> snapshot() {
    return Set.copyOf(acknowledgedTaskTokens);
  }

  public int count() {
    return acknowledgedTaskTokens.size();
  }

  @Override
  public <RequestT, ResponseT> ClientCall<RequestT, ResponseT> interceptCall(
      MethodDescriptor<RequestT, ResponseT> method, CallOptions callOptions, Channel next) {
    ClientCall<RequestT, ResponseT> call = next.newCall(method, callOptions);
    if (!method.getFullMethodName().equals(RESPOND_COMPLETED)) {
      return call;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      /** Unary call: exactly one request message, sent before the call closes. */
      private volatile ByteString taskToken;

      @Override
      public void start(Listener<ResponseT> responseListener, Metadata headers) {
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(responseListener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            if (status.isOk() && taskToken != null) {
              acknowledgedTaskTokens.add(taskToken);
            }
            super.onClose(status, trailers);
          }
        }, headers);
      }

      @Override
      public void sendMessage(RequestT message) {
        taskToken = ((RespondActivityTaskCompletedRequest) message).getTaskToken();
        super.sendMessage(message);
      }
    };
  }
}
