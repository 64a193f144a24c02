package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionResponse;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hourglass workflow cancel}: asks a workflow to cancel; the workflow decides how. */
@Command(name = "cancel", description = "Request cancellation of a workflow; its code decides how to wind down.", sortOptions = false)
final class CancelCommand extends ClientCommand {
  @Mixin
  ExecutionOptions execution;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded in the cancel request event.")
  String reason = "";

  @Override
  protected int run(Session session) {
    RequestCancelWorkflowExecutionResponse response = session.connection().workflowService().requestCancelWorkflowExecution(
        RequestCancelWorkflowExecutionRequest.newBuilder()
            .setNamespace(session.namespace())
            .setWorkflowExecution(execution.execution())
            .setIdentity(session.identity())
            .setRequestId(UUID.randomUUID().toString())
            .setReason(reason)
            .build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().line("Cancellation requested");
    }
    return ExitCodes.OK;
  }
}
