package dev.hourglass.server.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Arrays;

/**
 * What a client says it supports, from Temporal's {@code supported-features} header (a
 * comma-separated list), made available to the call's handler. Today one feature matters:
 * {@value #FOLLOWS_NEXT_RUN_ID}, a client that follows {@code new_execution_run_id} of completed,
 * failed and timed-out close events by itself (the Java SDK does not announce it).
 */
public final class ClientFeatures implements ServerInterceptor {
  static final String FOLLOWS_NEXT_RUN_ID = "follows-next-run-id";
  private static final Metadata.Key<String> SUPPORTED_FEATURES = Metadata.Key.of("supported-features", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<Boolean> FOLLOWS_NEXT_RUN_ID_KEY = Context.key(FOLLOWS_NEXT_RUN_ID);

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String features = headers.get(SUPPORTED_FEATURES);
    boolean follows = features != null && Arrays.stream(features.split(",")).map(String::trim).anyMatch(FOLLOWS_NEXT_RUN_ID::equals);
    return Contexts.interceptCall(Context.current().withValue(FOLLOWS_NEXT_RUN_ID_KEY, follows), call, headers, next);
  }

  /** Whether the client of the current call follows a chain's next run through any close event. */
  static boolean followsNextRunId() {
    return Boolean.TRUE.equals(FOLLOWS_NEXT_RUN_ID_KEY.get());
  }
}
