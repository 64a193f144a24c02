package dev.hourglass.cli.schedule;

import com.google.protobuf.MessageOrBuilder;
import dev.hourglass.cli.client.Session;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.workflowservice.v1.UpdateScheduleRequest;
import java.util.UUID;
import picocli.CommandLine.Command;

/** {@code hourglass schedule update}: replaces the whole schedule, as {@code temporal schedule update} does. */
@Command(name = "update", description = {"Replace a schedule with the one the flags describe.",
    "Flags not given take their defaults, not the old values, as with temporal schedule update."}, sortOptions = false)
final class ScheduleUpdateCommand extends ScheduleDefinitionCommand {
  @Override
  MessageOrBuilder send(Session session, String scheduleId, Schedule definition) {
    return session.connection().workflowService().updateSchedule(UpdateScheduleRequest.newBuilder()
        .setNamespace(session.namespace())
        .setScheduleId(scheduleId)
        .setSchedule(definition)
        .setIdentity(session.identity())
        .setRequestId(UUID.randomUUID().toString())
        .build());
  }

  @Override
  String done() {
    return "updated";
  }
}
