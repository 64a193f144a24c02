package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionResponse;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hourglass workflow signal}: sends a signal with its arguments. */
@Command(name = "signal", description = "Send a signal to a running workflow.", sortOptions = false)
final class SignalCommand extends ClientCommand {
  @Mixin
  ExecutionOptions execution;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Signal name, as the workflow defines it.")
  String name;

  @Mixin
  InputOptions input;

  @Override
  protected int run(Session session) {
    SignalWorkflowExecutionRequest.Builder request = SignalWorkflowExecutionRequest.newBuilder()
        .setNamespace(session.namespace())
        .setWorkflowExecution(execution.execution())
        .setSignalName(name)
        .setIdentity(session.identity())
        .setRequestId(UUID.randomUUID().toString());
    if (!input.isEmpty()) {
      request.setInput(input.payloads());
    }
    SignalWorkflowExecutionResponse response = session.connection().workflowService().signalWorkflowExecution(request.build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().line("Signal workflow succeeded");
    }
    return ExitCodes.OK;
  }
}
