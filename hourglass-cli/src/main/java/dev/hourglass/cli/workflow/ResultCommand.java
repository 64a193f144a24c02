package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hourglass workflow result}: waits for a workflow to end and prints its result. */
@Command(name = "result", description = {"Wait for a workflow to end and print its result.",
    "Exits with 3 when the workflow failed, was canceled, terminated or timed out (stderr says which)."}, sortOptions = false)
final class ResultCommand extends ClientCommand {
  @Mixin
  ExecutionOptions execution;

  @Override
  protected int run(Session session) {
    return RunOutcome.await(session, execution.workflowId, execution.runId).report(session);
  }
}
