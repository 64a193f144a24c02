package dev.hourglass.cli.schedule;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflowservice.v1.DeleteScheduleRequest;
import io.temporal.api.workflowservice.v1.DeleteScheduleResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hourglass schedule delete}: the workflows it started keep running. */
@Command(name = "delete", description = "Delete a schedule; workflows it started keep running.", sortOptions = false)
final class ScheduleDeleteCommand extends ClientCommand {
  @Mixin
  ScheduleId schedule;

  @Override
  protected int run(Session session) {
    DeleteScheduleResponse response = session.connection().workflowService().deleteSchedule(DeleteScheduleRequest.newBuilder()
        .setNamespace(session.namespace()).setScheduleId(schedule.id).setIdentity(session.identity()).build());
    return ScheduleReplies.done(session, response, schedule.id, "deleted");
  }
}
