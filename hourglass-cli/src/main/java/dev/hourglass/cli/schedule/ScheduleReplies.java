package dev.hourglass.cli.schedule;

import com.google.protobuf.MessageOrBuilder;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;

/** How commands that change a schedule answer: the response with {@code -o json}, else {@code Schedule ID <done>}. */
final class ScheduleReplies {
  private ScheduleReplies() {}

  static int done(Session session, MessageOrBuilder response, String scheduleId, String done) {
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().line("Schedule " + scheduleId + " " + done);
    }
    return ExitCodes.OK;
  }
}
