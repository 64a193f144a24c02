package dev.hourglass.cli.schedule;

import dev.hourglass.cli.client.Session;
import io.temporal.api.schedule.v1.SchedulePatch;
import io.temporal.api.workflowservice.v1.PatchScheduleRequest;
import io.temporal.api.workflowservice.v1.PatchScheduleResponse;
import java.util.UUID;

/** Sends one PatchSchedule (toggle, trigger, backfill) and reports it. */
final class SchedulePatcher {
  private SchedulePatcher() {}

  static int patch(Session session, String scheduleId, SchedulePatch patch, String done) {
    PatchScheduleResponse response = session.connection().workflowService().patchSchedule(PatchScheduleRequest.newBuilder()
        .setNamespace(session.namespace())
        .setScheduleId(scheduleId)
        .setPatch(patch)
        .setIdentity(session.identity())
        .setRequestId(UUID.randomUUID().toString())
        .build());
    return ScheduleReplies.done(session, response, scheduleId, done);
  }
}
