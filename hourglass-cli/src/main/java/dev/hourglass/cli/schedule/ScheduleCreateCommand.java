package dev.hourglass.cli.schedule;

import com.google.protobuf.MessageOrBuilder;
import dev.hourglass.cli.client.Session;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import java.util.UUID;
import picocli.CommandLine.Command;

/** {@code hourglass schedule create}. */
@Command(name = "create", description = "Create a schedule that starts a workflow at the times its spec gives.", sortOptions = false)
final class ScheduleCreateCommand extends ScheduleDefinitionCommand {
  @Override
  MessageOrBuilder send(Session session, String scheduleId, Schedule definition) {
    return session.connection().workflowService().createSchedule(CreateScheduleRequest.newBuilder()
        .setNamespace(session.namespace())
        .setScheduleId(scheduleId)
        .setSchedule(definition)
        .setIdentity(session.identity())
        .setRequestId(UUID.randomUUID().toString())
        .build());
  }

  @Override
  String done() {
    return "created";
  }
}
