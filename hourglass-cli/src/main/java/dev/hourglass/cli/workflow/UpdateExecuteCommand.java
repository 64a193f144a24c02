package dev.hourglass.cli.workflow;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Payloads;
import dev.hourglass.cli.client.Session;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.update.v1.Outcome;
import io.temporal.api.update.v1.UpdateRef;
import io.temporal.api.update.v1.WaitPolicy;
import io.temporal.api.workflowservice.v1.PollWorkflowExecutionUpdateRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowExecutionUpdateResponse;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hourglass workflow update execute}: sends an update and prints its result once the workflow completed it. */
@Command(name = "execute", description = {"Send an update, wait for the workflow to complete it and print its result.",
    "Exits with 3 when the update was rejected or failed."}, sortOptions = false)
final class UpdateExecuteCommand extends ClientCommand {
  private static final UpdateWorkflowExecutionLifecycleStage COMPLETED =
      UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;

  @Mixin
  UpdateOptions update;

  @Override
  protected int run(Session session) {
    UpdateWorkflowExecutionResponse response =
        session.connection().workflowService().updateWorkflowExecution(update.request(session, COMPLETED));
    Outcome outcome = response.hasOutcome() ? response.getOutcome() : awaitOutcome(session, response.getUpdateRef());
    return report(session, response.getUpdateRef(), outcome);
  }

  /** Polls until the update has an outcome; the server answers a poll that saw none in time without one. */
  private static Outcome awaitOutcome(Session session, UpdateRef ref) {
    while (true) {
      PollWorkflowExecutionUpdateResponse poll;
      try {
        poll = session.connection().workflowService().pollWorkflowExecutionUpdate(PollWorkflowExecutionUpdateRequest.newBuilder()
            .setNamespace(session.namespace())
            .setUpdateRef(ref)
            .setIdentity(session.identity())
            .setWaitPolicy(WaitPolicy.newBuilder().setLifecycleStage(COMPLETED))
            .build());
      } catch (StatusRuntimeException e) {
        if (RunOutcome.isLongPollExpiry(e)) {
          continue;
        }
        throw e;
      }
      if (poll.hasOutcome()) {
        return poll.getOutcome();
      }
    }
  }

  static int report(Session session, UpdateRef ref, Outcome outcome) {
    if (session.output().json()) {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("updateId", ref.getUpdateId());
      node.put("workflowId", ref.getWorkflowExecution().getWorkflowId());
      node.put("runId", ref.getWorkflowExecution().getRunId());
      if (outcome.hasSuccess()) {
        node.set("result", Payloads.decode(outcome.getSuccess()));
      } else {
        node.set("failure", session.output().toJsonTree(outcome.getFailure()));
      }
      session.output().printJson(node);
    } else {
      Map<String, String> card = new LinkedHashMap<>();
      card.put("UpdateId", ref.getUpdateId());
      if (outcome.hasSuccess()) {
        card.put("Result", Payloads.toText(Payloads.decode(outcome.getSuccess())));
      } else {
        card.put("Failure", RunOutcome.failureText(outcome.getFailure()));
      }
      session.output().card(card);
    }
    if (outcome.hasSuccess()) {
      return ExitCodes.OK;
    }
    session.error("Error: update failed: " + RunOutcome.failureText(outcome.getFailure()));
    return ExitCodes.WORKFLOW_NOT_SUCCEEDED;
  }
}
