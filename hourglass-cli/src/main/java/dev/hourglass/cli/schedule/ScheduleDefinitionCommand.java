package dev.hourglass.cli.schedule;

import com.google.protobuf.MessageOrBuilder;
import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.Session;
import io.temporal.api.schedule.v1.Schedule;
import picocli.CommandLine.Mixin;

/** {@code create} and {@code update}: both send a whole schedule built from the same flags. */
abstract class ScheduleDefinitionCommand extends ClientCommand {
  @Mixin
  ScheduleId schedule;

  @Mixin
  ScheduleOptions options;

  /** Sends the schedule; returns the server's response. */
  abstract MessageOrBuilder send(Session session, String scheduleId, Schedule definition);

  /** What the table output says was done: {@code created}, {@code updated}. */
  abstract String done();

  @Override
  protected final int run(Session session) {
    Schedule definition = options.schedule(schedule.id, session.namespace(), session.identity());
    return ScheduleReplies.done(session, send(session, schedule.id, definition), schedule.id, done());
  }
}
