package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hourglass workflow delete}: removes a run, its history and its visibility row; a running one is terminated first. */
@Command(name = "delete", description = {"Delete a workflow run with its history; a running workflow is terminated first.",
    "Without --run-id, the latest run."}, sortOptions = false)
final class DeleteCommand extends ClientCommand {
  @Mixin
  ExecutionOptions execution;

  @Override
  protected int run(Session session) {
    DeleteWorkflowExecutionResponse response = session.connection().workflowService().deleteWorkflowExecution(
        DeleteWorkflowExecutionRequest.newBuilder()
            .setNamespace(session.namespace())
            .setWorkflowExecution(execution.execution())
            .build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().line("Delete workflow succeeded");
    }
    return ExitCodes.OK;
  }
}
