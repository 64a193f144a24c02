package dev.hourglass.cli.operator;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.Durations;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hourglass operator namespace create}: registers a namespace. */
@Command(name = "create", description = "Create a namespace.", sortOptions = false)
final class NamespaceCreateCommand extends ClientCommand {
  @Mixin
  NamespaceName name;

  @Mixin
  NamespaceFields fields;

  @Override
  protected int run(Session session) {
    String namespace = name.resolve(session);
    RegisterNamespaceRequest.Builder request = RegisterNamespaceRequest.newBuilder().setNamespace(namespace).putAllData(fields.data);
    if (fields.description != null) {
      request.setDescription(fields.description);
    }
    if (fields.email != null) {
      request.setOwnerEmail(fields.email);
    }
    if (fields.retention != null) {
      request.setWorkflowExecutionRetentionPeriod(Durations.toProto(fields.retention));
    }
    RegisterNamespaceResponse response = session.connection().workflowService().registerNamespace(request.build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().line("Namespace " + namespace + " created");
    }
    return ExitCodes.OK;
  }
}
