package dev.hourglass.cli.schedule;

import com.google.protobuf.ByteString;
import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Output;
import dev.hourglass.cli.client.Session;
import io.temporal.api.schedule.v1.ScheduleListEntry;
import io.temporal.api.workflowservice.v1.ListSchedulesRequest;
import io.temporal.api.workflowservice.v1.ListSchedulesResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hourglass schedule list}: the namespace's schedules (those matching {@code --query}), all pages. */
@Command(name = "list", description = "List the namespace's schedules.", sortOptions = false)
final class ScheduleListCommand extends ClientCommand {
  @Option(names = {"-q", "--query"}, paramLabel = "FILTER", description = {"Only schedules matching this list filter: custom search "
      + "attributes, TemporalSchedulePaused, ScheduleId,", "e.g. \"TemporalSchedulePaused = true\"."})
  String query = "";

  @Override
  protected int run(Session session) {
    List<ScheduleListEntry> schedules = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      ListSchedulesResponse page = session.connection().workflowService().listSchedules(
          ListSchedulesRequest.newBuilder().setNamespace(session.namespace()).setQuery(query).setNextPageToken(token).build());
      schedules.addAll(page.getSchedulesList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    if (session.output().json()) {
      session.output().printJsonArray(schedules);
      return ExitCodes.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (ScheduleListEntry entry : schedules) {
      rows.add(List.of(entry.getScheduleId(), entry.getInfo().getWorkflowType().getName(), Boolean.toString(entry.getInfo().getPaused()),
          entry.getInfo().getFutureActionTimesCount() > 0 ? Output.time(entry.getInfo().getFutureActionTimes(0)) : "",
          entry.getInfo().getNotes()));
    }
    session.output().table(List.of("ScheduleId", "WorkflowType", "Paused", "NextRun", "Notes"), rows);
    return ExitCodes.OK;
  }
}
