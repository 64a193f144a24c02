package dev.hourglass.cli.schedule;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.Session;
import io.temporal.api.schedule.v1.SchedulePatch;
import io.temporal.api.schedule.v1.TriggerImmediatelyRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hourglass schedule trigger}: takes the action now, once. */
@Command(name = "trigger", description = "Take the schedule's action now, once.", sortOptions = false)
final class ScheduleTriggerCommand extends ClientCommand {
  @Mixin
  ScheduleId schedule;

  @Option(names = "--overlap-policy", paramLabel = "POLICY",
      description = "Overlap policy for this action: " + OverlapPolicies.CHOICES + " (default: the schedule's).")
  String overlapPolicy;

  @Override
  protected int run(Session session) {
    TriggerImmediatelyRequest.Builder trigger = TriggerImmediatelyRequest.newBuilder();
    if (overlapPolicy != null) {
      trigger.setOverlapPolicy(OverlapPolicies.parse(overlapPolicy));
    }
    return SchedulePatcher.patch(session, schedule.id, SchedulePatch.newBuilder().setTriggerImmediately(trigger).build(), "triggered");
  }
}
