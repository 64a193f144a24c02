package dev.hourglass.cli.workflow;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Output;
import dev.hourglass.cli.client.Session;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hourglass workflow update start}: sends an update and returns once the workflow accepted it. */
@Command(name = "start", description = {"Send an update and return once the workflow accepted it, without waiting for its result.",
    "Exits with 3 when the workflow rejected it."}, sortOptions = false)
final class UpdateStartCommand extends ClientCommand {
  private static final String STAGE_PREFIX = "UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_";

  @Mixin
  UpdateOptions update;

  @Override
  protected int run(Session session) {
    UpdateWorkflowExecutionResponse response = session.connection().workflowService().updateWorkflowExecution(
        update.request(session, UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED));
    if (response.hasOutcome() && response.getOutcome().hasFailure()) {
      return UpdateExecuteCommand.report(session, response.getUpdateRef(), response.getOutcome());
    }
    if (session.output().json()) {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("updateId", response.getUpdateRef().getUpdateId());
      node.put("workflowId", response.getUpdateRef().getWorkflowExecution().getWorkflowId());
      node.put("runId", response.getUpdateRef().getWorkflowExecution().getRunId());
      node.put("stage", Output.enumName(response.getStage(), STAGE_PREFIX));
      session.output().printJson(node);
    } else {
      Map<String, String> card = new LinkedHashMap<>();
      card.put("UpdateId", response.getUpdateRef().getUpdateId());
      card.put("Stage", Output.enumName(response.getStage(), STAGE_PREFIX));
      session.output().card(card);
    }
    return ExitCodes.OK;
  }
}
