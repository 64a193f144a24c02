package dev.hourglass.cli.operator;

import com.google.protobuf.ByteString;
import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.Durations;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Output;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.ListNamespacesRequest;
import io.temporal.api.workflowservice.v1.ListNamespacesResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code hourglass operator namespace list}: every namespace, all pages. */
@Command(name = "list", description = "List namespaces.", sortOptions = false)
final class NamespaceListCommand extends ClientCommand {
  @Override
  protected int run(Session session) {
    List<DescribeNamespaceResponse> namespaces = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      ListNamespacesResponse page = session.connection().workflowService().listNamespaces(
          ListNamespacesRequest.newBuilder().setNextPageToken(token).build());
      namespaces.addAll(page.getNamespacesList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    if (session.output().json()) {
      session.output().printJsonArray(namespaces);
      return ExitCodes.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (DescribeNamespaceResponse namespace : namespaces) {
      rows.add(List.of(namespace.getNamespaceInfo().getName(), Output.enumName(namespace.getNamespaceInfo().getState(), "NAMESPACE_STATE_"),
          Durations.format(namespace.getConfig().getWorkflowExecutionRetentionTtl()), namespace.getNamespaceInfo().getDescription()));
    }
    session.output().table(List.of("Name", "State", "Retention", "Description"), rows);
    return ExitCodes.OK;
  }
}
