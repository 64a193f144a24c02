package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hourglass workflow start}: starts a workflow and prints its ids without waiting for it. */
@Command(name = "start", description = "Start a workflow and print its ids without waiting for its result.", sortOptions = false)
final class StartCommand extends ClientCommand {
  @Mixin
  StartOptions options;

  @Override
  protected int run(Session session) {
    Started started = Started.start(session, options);
    if (session.output().json()) {
      session.output().printJson(started.json());
    } else {
      session.output().line("Running execution:");
      session.output().card(started.card());
    }
    return ExitCodes.OK;
  }
}
