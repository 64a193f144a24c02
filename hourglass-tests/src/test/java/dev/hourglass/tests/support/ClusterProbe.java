package dev.hourglass.tests.support;

import com.google.protobuf.Empty;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.hourglass.server.cluster.ClusterInfoService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Asks one server process for the cluster as it sees it (hourglass.cluster.v1.ClusterService/DescribeCluster). */
public final class ClusterProbe {
  private ClusterProbe() {}

  /** The members' ids and the active one, as {@code target} reports them. */
  public record Cluster(String self, String activeMember, List<String> members) {}

  public static Cluster describe(String target) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      Struct response = ClientCalls.blockingUnaryCall(channel, ClusterInfoService.DESCRIBE_CLUSTER,
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), Empty.getDefaultInstance());
      List<String> members = response.getFieldsOrThrow("members").getListValue().getValuesList().stream()
          .map(Value::getStructValue)
          .map(member -> member.getFieldsOrThrow("memberId").getStringValue())
          .toList();
      return new Cluster(response.getFieldsOrThrow("self").getStringValue(), response.getFieldsOrThrow("activeMember").getStringValue(),
          members);
    } finally {
      channel.shutdownNow();
    }
  }
}
