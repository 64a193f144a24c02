package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hourglass workflow terminate}: ends a workflow at once, without running its code. */
@Command(name = "terminate", description = "Terminate a workflow at once; its code gets no chance to clean up.", sortOptions = false)
final class TerminateCommand extends ClientCommand {
  @Mixin
  ExecutionOptions execution;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded in the termination event.")
  String reason = "";

  @Override
  protected int run(Session session) {
    TerminateWorkflowExecutionRequest.Builder request = TerminateWorkflowExecutionRequest.newBuilder()
        .setNamespace(session.namespace())
        .setWorkflowExecution(execution.execution())
        .setIdentity(session.identity())
        .setReason(reason);
    TerminateWorkflowExecutionResponse response = session.connection().workflowService().terminateWorkflowExecution(request.build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().line("Workflow terminated");
    }
    return ExitCodes.OK;
  }
}
