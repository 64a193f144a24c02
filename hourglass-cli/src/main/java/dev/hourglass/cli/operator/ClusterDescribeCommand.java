package dev.hourglass.cli.operator;

import com.google.protobuf.Empty;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import dev.hourglass.server.cluster.ClusterInfoService;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code hourglass operator cluster describe}: the members (server processes heartbeating on the
 * database) and the active one, as the process at {@code --address} sees them.
 */
@Command(name = "describe", description = {
    "Show the cluster's members: the server processes on the same database, which one holds the shards",
    "(active) and which forward to it (standby), as the server at --address sees them."}, sortOptions = false)
final class ClusterDescribeCommand extends ClientCommand {
  @Override
  protected int run(Session session) {
    Struct cluster = ClientCalls.blockingUnaryCall(session.connection().channel(), ClusterInfoService.DESCRIBE_CLUSTER,
        CallOptions.DEFAULT, Empty.getDefaultInstance());
    if (session.output().json()) {
      session.output().printJson(cluster);
      return ExitCodes.OK;
    }
    String active = text(cluster, "activeMember");
    Map<String, String> card = new LinkedHashMap<>();
    card.put("ActiveMember", active.isEmpty() ? "none (failover in progress)" : active);
    card.put("ActiveAddress", text(cluster, "activeAddress"));
    card.put("AnsweredBy", text(cluster, "self"));
    card.put("HistoryShardCount", Long.toString((long) cluster.getFieldsOrThrow("historyShardCount").getNumberValue()));
    card.put("Store", text(cluster, "store"));
    session.output().card(card);
    session.output().line("");
    List<List<String>> rows = new ArrayList<>();
    for (Value value : cluster.getFieldsOrThrow("members").getListValue().getValuesList()) {
      Struct member = value.getStructValue();
      rows.add(List.of(text(member, "memberId"), text(member, "address"),
          member.getFieldsOrThrow("active").getBoolValue() ? "active" : "standby",
          text(member, "startedAt"), text(member, "heartbeatAt")));
    }
    session.output().table(List.of("Member", "Address", "Role", "StartedAt", "LastHeartbeat"), rows);
    return ExitCodes.OK;
  }

  private static String text(Struct struct, String field) {
    return struct.getFieldsOrDefault(field, Value.getDefaultInstance()).getStringValue();
  }
}
