package dev.hourglass.cli.operator;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hourglass operator namespace describe}. */
@Command(name = "describe", description = "Show a namespace's settings.", sortOptions = false)
final class NamespaceDescribeCommand extends ClientCommand {
  @Mixin
  NamespaceName name;

  @Override
  protected int run(Session session) {
    DescribeNamespaceResponse response = session.connection().workflowService().describeNamespace(
        DescribeNamespaceRequest.newBuilder().setNamespace(name.resolve(session)).build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().card(NamespaceView.card(response.getNamespaceInfo(), response.getConfig()));
    }
    return ExitCodes.OK;
  }
}
