package dev.hourglass.cli.operator;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.Durations;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.namespace.v1.UpdateNamespaceInfo;
import io.temporal.api.workflowservice.v1.UpdateNamespaceRequest;
import io.temporal.api.workflowservice.v1.UpdateNamespaceResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hourglass operator namespace update}: changes the settings given; the others stay. */
@Command(name = "update", description = "Update a namespace's settings; those not given stay as they are.", sortOptions = false)
final class NamespaceUpdateCommand extends ClientCommand {
  @Mixin
  NamespaceName name;

  @Mixin
  NamespaceFields fields;

  @Override
  protected int run(Session session) {
    if (fields.description == null && fields.email == null && fields.retention == null && fields.data.isEmpty()) {
      throw usage("Nothing to update: give --description, --email, --retention or --data");
    }
    UpdateNamespaceInfo.Builder info = UpdateNamespaceInfo.newBuilder().putAllData(fields.data);
    if (fields.description != null) {
      info.setDescription(fields.description);
    }
    if (fields.email != null) {
      info.setOwnerEmail(fields.email);
    }
    UpdateNamespaceRequest.Builder request = UpdateNamespaceRequest.newBuilder().setNamespace(name.resolve(session)).setUpdateInfo(info);
    if (fields.retention != null) {
      request.setConfig(NamespaceConfig.newBuilder().setWorkflowExecutionRetentionTtl(Durations.toProto(fields.retention)));
    }
    UpdateNamespaceResponse response = session.connection().workflowService().updateNamespace(request.build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().card(NamespaceView.card(response.getNamespaceInfo(), response.getConfig()));
    }
    return ExitCodes.OK;
  }
}
