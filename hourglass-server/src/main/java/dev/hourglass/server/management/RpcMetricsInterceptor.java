package dev.hourglass.server.management;

import static java.util.Objects.requireNonNull;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts and times every gRPC call by method, as Temporal's frontend does: {@code service_requests},
 * {@code service_errors} (by status code) and {@code service_latency}, labelled {@code operation}
 * with the bare method name ({@code StartWorkflowExecution}). A call the client cancelled counts
 * as a CANCELLED error.
 */
public final class RpcMetricsInterceptor implements ServerInterceptor {
  private final MeterRegistry metrics;
  /** The meters of each method, looked up once: every call passes here. */
  private final ConcurrentMap<String, OperationMeters> operations = new ConcurrentHashMap<>();

  private record OperationMeters(Counter requests, Timer latency) {}

  public RpcMetricsInterceptor(MeterRegistry metrics) {
    this.metrics = requireNonNull(metrics, "metrics is null");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String operation = call.getMethodDescriptor().getBareMethodName();
    long startNanos = System.nanoTime();
    AtomicBoolean recorded = new AtomicBoolean();
    Runnable cancelled = () -> record(operation, Status.Code.CANCELLED, startNanos, recorded);
    ServerCall<Q, R> measured = new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        record(operation, status.getCode(), startNanos, recorded);
        super.close(status, trailers);
      }
    };
    return new SimpleForwardingServerCallListener<>(next.startCall(measured, headers)) {
      @Override
      public void onCancel() {
        cancelled.run();
        super.onCancel();
      }
    };
  }

  private void record(String operation, Status.Code code, long startNanos, AtomicBoolean recorded) {
    if (!recorded.compareAndSet(false, true)) {
      return;
    }
    OperationMeters meters = operations.computeIfAbsent(operation, this::meters);
    meters.requests().increment();
    meters.latency().record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    if (code != Status.Code.OK) {
      Counter.builder("service_errors").description("gRPC calls answered with an error, by method and status code")
          .tag("operation", operation).tag("status_code", code.name()).register(metrics).increment();
    }
  }

  private OperationMeters meters(String operation) {
    return new OperationMeters(
        Counter.builder("service_requests").description("gRPC calls answered, by method").tag("operation", operation).register(metrics),
        Timer.builder("service_latency").description("gRPC call latency, by method (long polls included)").tag("operation", operation)
            .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
            .register(metrics));
  }
}
