package dev.hourglass.cli.schedule;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.Session;
import io.temporal.api.schedule.v1.SchedulePatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hourglass schedule toggle --pause|--unpause}. */
@Command(name = "toggle", description = "Pause or unpause a schedule.", sortOptions = false)
final class ScheduleToggleCommand extends ClientCommand {
  @Mixin
  ScheduleId schedule;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Toggle toggle;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why; kept in the schedule's notes.")
  String reason = "";

  static final class Toggle {
    @Option(names = "--pause", required = true, description = "Pause: no actions until unpaused.")
    boolean pause;

    @Option(names = "--unpause", required = true, description = "Unpause: actions resume from now on.")
    boolean unpause;
  }

  @Override
  protected int run(Session session) {
    String note = reason.isEmpty() ? "toggled by hourglass-cli" : reason;
    SchedulePatch patch = toggle.pause ? SchedulePatch.newBuilder().setPause(note).build() : SchedulePatch.newBuilder().setUnpause(note).build();
    return SchedulePatcher.patch(session, schedule.id, patch, toggle.pause ? "paused" : "unpaused");
  }
}
