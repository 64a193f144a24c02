package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code hourglass workflow execute}: starts a workflow, waits for it to end and prints its
 * result; exit code 3 when it failed, was canceled or terminated, or timed out.
 */
@Command(name = "execute", description = {"Start a workflow, wait for it to end and print its result.",
    "Exits with 3 when the workflow failed, was canceled, terminated or timed out (stderr says which)."}, sortOptions = false)
final class ExecuteCommand extends ClientCommand {
  @Mixin
  StartOptions options;

  @Override
  protected int run(Session session) {
    Started started = Started.start(session, options);
    if (!session.output().json()) {
      session.output().line("Running execution:");
      session.output().card(started.card());
    }
    return RunOutcome.await(session, started.workflowId(), started.runId()).report(session);
  }
}
