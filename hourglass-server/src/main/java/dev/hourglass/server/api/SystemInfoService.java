package dev.hourglass.server.api;

import static java.util.Objects.requireNonNull;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.GetClusterInfoRequest;
import io.temporal.api.workflowservice.v1.GetClusterInfoResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.util.function.IntSupplier;

/**
 * GetSystemInfo and GetClusterInfo: facts of the server, not of its shards, so every process
 * answers them itself whatever its role. The SDK calls GetSystemInfo first when it connects; a
 * standby forwarding it would fail every new client with UNAVAILABLE while a failover is under way.
 */
public final class SystemInfoService extends WorkflowServiceGrpc.WorkflowServiceImplBase {
  private final String serverVersion;
  private final IntSupplier historyShardCount;
  private final String persistenceStore;

  /**
   * @param historyShardCount the database's shard count (the one it was created with, which a
   *     process's requested count does not change)
   * @param persistenceStore {@code sqlite} or {@code postgresql}; visibility lives in the same database
   */
  public SystemInfoService(String serverVersion, IntSupplier historyShardCount, String persistenceStore) {
    this.serverVersion = requireNonNull(serverVersion, "serverVersion is null");
    this.historyShardCount = requireNonNull(historyShardCount, "historyShardCount is null");
    this.persistenceStore = requireNonNull(persistenceStore, "persistenceStore is null");
  }

  /** The two methods only: every other WorkflowService method is the engine's (or forwarded). */
  public ServerServiceDefinition definition() {
    ServerServiceDefinition all = bindService();
    return ServerServiceDefinition.builder(WorkflowServiceGrpc.SERVICE_NAME)
        .addMethod(all.getMethod(WorkflowServiceGrpc.getGetSystemInfoMethod().getFullMethodName()))
        .addMethod(all.getMethod(WorkflowServiceGrpc.getGetClusterInfoMethod().getFullMethodName()))
        .build();
  }

  @Override
  public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> observer) {
    Rpc.unary(observer, () -> GetSystemInfoResponse.newBuilder()
        .setServerVersion(serverVersion)
        .setCapabilities(GetSystemInfoResponse.Capabilities.newBuilder()
            .setSignalAndQueryHeader(true)
            .setInternalErrorDifferentiation(true)
            .setActivityFailureIncludeHeartbeat(true)
            .setEncodedFailureAttributes(true)
            .setUpsertMemo(true)
            // The SDK's flags are replayed from WorkflowTaskCompleted.sdk_metadata, which we keep.
            .setSdkMetadata(true))
        .build());
  }

  @Override
  public void getClusterInfo(GetClusterInfoRequest request, StreamObserver<GetClusterInfoResponse> observer) {
    Rpc.unary(observer, () -> GetClusterInfoResponse.newBuilder()
        .setClusterName("active")
        .setClusterId("hourglass")
        .setServerVersion(serverVersion)
        .setHistoryShardCount(historyShardCount.getAsInt())
        .setPersistenceStore(persistenceStore)
        .setVisibilityStore(persistenceStore)
        .build());
  }
}
