package dev.hourglass.cli.schedule;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.Session;
import io.temporal.api.schedule.v1.BackfillRequest;
import io.temporal.api.schedule.v1.SchedulePatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hourglass schedule backfill}: takes the actions the spec gives for a past time range. */
@Command(name = "backfill", description = "Take the actions the schedule's spec gives in a time range, as if it had run then.",
    sortOptions = false)
final class ScheduleBackfillCommand extends ClientCommand {
  @Mixin
  ScheduleId schedule;

  @Option(names = "--start-time", required = true, paramLabel = "TIME", description = "Start of the range, RFC 3339.")
  String startTime;

  @Option(names = "--end-time", required = true, paramLabel = "TIME", description = "End of the range, RFC 3339.")
  String endTime;

  @Option(names = "--overlap-policy", paramLabel = "POLICY",
      description = "Overlap policy for these actions: " + OverlapPolicies.CHOICES + " (default: the schedule's).")
  String overlapPolicy;

  @Override
  protected int run(Session session) {
    BackfillRequest.Builder backfill = BackfillRequest.newBuilder()
        .setStartTime(Times.parse(startTime, "--start-time"))
        .setEndTime(Times.parse(endTime, "--end-time"));
    if (overlapPolicy != null) {
      backfill.setOverlapPolicy(OverlapPolicies.parse(overlapPolicy));
    }
    return SchedulePatcher.patch(session, schedule.id, SchedulePatch.newBuilder().addBackfillRequest(backfill).build(), "backfilled");
  }
}
