package dev.hourglass.server.cluster;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Empty;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.hourglass.store.ClusterMember;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.time.Instant;

/**
 * {@value #SERVICE}: the cluster's members and which one is active. Temporal's public API has no
 * such call (its members are in the AdminService's DescribeCluster, which SDKs and the
 * {@code temporal} CLI's public commands do not use), so Hourglass adds one small service of its
 * own, on protobuf's well-known types ({@code google.protobuf.Empty} in, {@code Struct} out), so
 * any gRPC client can call it without Hourglass's protos. Answered by whichever process is
 * asked, from its last heartbeat's view.
 */
public final class ClusterInfoService {
  public static final String SERVICE = "hourglass.cluster.v1.ClusterService";
  public static final MethodDescriptor<Empty, Struct> DESCRIBE_CLUSTER = MethodDescriptor.<Empty, Struct>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "DescribeCluster"))
      .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
      .build();

  private final ClusterMembership membership;
  private final String store;

  public ClusterInfoService(ClusterMembership membership, String store) {
    this.membership = requireNonNull(membership, "membership is null");
    this.store = requireNonNull(store, "store is null");
  }

  public ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(DESCRIBE_CLUSTER, ServerCalls.asyncUnaryCall((request, observer) -> {
          observer.onNext(describe(membership.view()));
          observer.onCompleted();
        }))
        .build();
  }

  /**
   * {@code {self, activeMember, activeAddress, historyShardCount, store, leaseTtlSeconds, members: [{memberId, address,
   * startedAt, heartbeatAt, active, self}]}}; activeMember is empty while no process holds the shards.
   */
  Struct describe(ClusterView view) {
    String activeId = view.active().map(ClusterMember::memberId).orElse("");
    ListValue.Builder members = ListValue.newBuilder();
    for (ClusterMember member : view.members()) {
      members.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
          .putFields("memberId", text(member.memberId()))
          .putFields("address", text(member.address()))
          .putFields("startedAt", text(Instant.ofEpochMilli(member.startedAtMillis()).toString()))
          .putFields("heartbeatAt", text(Instant.ofEpochMilli(member.heartbeatAtMillis()).toString()))
          .putFields("active", Value.newBuilder().setBoolValue(member.memberId().equals(activeId)).build())
          .putFields("self", Value.newBuilder().setBoolValue(member.memberId().equals(view.self())).build())));
    }
    return Struct.newBuilder()
        .putFields("self", text(view.self()))
        .putFields("activeMember", text(activeId))
        .putFields("activeAddress", text(view.active().map(ClusterMember::address).orElse("")))
        .putFields("historyShardCount", Value.newBuilder().setNumberValue(membership.shardCount()).build())
        .putFields("store", text(store))
        .putFields("leaseTtlSeconds", Value.newBuilder().setNumberValue(membership.settings().leaseTtl().toMillis() / 1000.0).build())
        .putFields("members", Value.newBuilder().setListValue(members).build())
        .build();
  }

  private static Value text(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }
}
