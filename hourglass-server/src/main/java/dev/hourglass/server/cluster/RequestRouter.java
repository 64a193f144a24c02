package dev.hourglass.server.cluster;

import static java.util.Objects.requireNonNull;

import dev.hourglass.server.EngineInstance;
import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Routes every WorkflowService and OperatorService call: to this process's engine while it holds
 * the shards, else to the active process ({@link Forwarder}), else UNAVAILABLE while no process
 * holds them (failover). Registered as the gRPC server's fallback registry, so the method is
 * chosen per call from the current term.
 */
public final class RequestRouter extends HandlerRegistry {
  private final ClusterMembership membership;
  private final Map<String, ServerMethodDefinition<byte[], byte[]>> forwarding;
  private final Map<String, ServerMethodDefinition<?, ?>> local;

  /**
   * @param localServices services this process answers itself whatever its role (cluster
   *     membership, GetSystemInfo and GetClusterInfo): their methods are never forwarded
   */
  public RequestRouter(ClusterMembership membership, Forwarder forwarder, List<ServerServiceDefinition> localServices) {
    this.membership = requireNonNull(membership, "membership is null");
    requireNonNull(forwarder, "forwarder is null");
    Map<String, ServerMethodDefinition<byte[], byte[]>> forwarded = new HashMap<>();
    for (ServiceDescriptor service : List.of(WorkflowServiceGrpc.getServiceDescriptor(), OperatorServiceGrpc.getServiceDescriptor())) {
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        MethodDescriptor<byte[], byte[]> bytes = method.toBuilder(Forwarder.BYTES, Forwarder.BYTES).build();
        forwarded.put(method.getFullMethodName(), ServerMethodDefinition.create(bytes, forwarder.handler(bytes)));
      }
    }
    this.forwarding = Map.copyOf(forwarded);
    Map<String, ServerMethodDefinition<?, ?>> locals = new HashMap<>();
    for (ServerServiceDefinition service : localServices) {
      for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
        locals.put(method.getMethodDescriptor().getFullMethodName(), method);
      }
    }
    this.local = Map.copyOf(locals);
  }

  @Override
  public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
    ServerMethodDefinition<?, ?> localMethod = local.get(methodName);
    if (localMethod != null) {
      return localMethod;
    }
    Optional<EngineInstance> engine = membership.engine();
    if (engine.isPresent()) {
      ServerMethodDefinition<?, ?> method = engine.get().method(methodName);
      if (method != null) {
        return method;
      }
    }
    return forwarding.get(methodName);
  }
}
