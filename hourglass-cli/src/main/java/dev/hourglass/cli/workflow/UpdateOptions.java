package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.Session;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.update.v1.Input;
import io.temporal.api.update.v1.Meta;
import io.temporal.api.update.v1.Request;
import io.temporal.api.update.v1.WaitPolicy;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import java.util.UUID;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The update to send: which workflow, which handler, its arguments and its id. */
final class UpdateOptions {
  @Mixin
  ExecutionOptions execution;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Update name, as the workflow defines it.")
  String name;

  @Mixin
  InputOptions input;

  @Option(names = "--update-id", paramLabel = "ID",
      description = "Update id (default: a random UUID); sending the same id again returns the first update's outcome.")
  String updateId;

  @Option(names = "--first-execution-run-id", paramLabel = "ID", description = "Only update a run of the chain that started with this run.")
  String firstExecutionRunId = "";

  UpdateWorkflowExecutionRequest request(Session session, UpdateWorkflowExecutionLifecycleStage stage) {
    Input.Builder updateInput = Input.newBuilder().setName(name);
    if (!input.isEmpty()) {
      updateInput.setArgs(input.payloads());
    }
    WorkflowExecution workflow = execution.execution();
    return UpdateWorkflowExecutionRequest.newBuilder()
        .setNamespace(session.namespace())
        .setWorkflowExecution(workflow)
        .setFirstExecutionRunId(firstExecutionRunId)
        .setWaitPolicy(WaitPolicy.newBuilder().setLifecycleStage(stage))
        .setRequest(Request.newBuilder()
            .setMeta(Meta.newBuilder().setUpdateId(updateId != null ? updateId : UUID.randomUUID().toString()).setIdentity(session.identity()))
            .setInput(updateInput))
        .build();
  }
}
