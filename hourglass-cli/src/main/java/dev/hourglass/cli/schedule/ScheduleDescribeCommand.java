package dev.hourglass.cli.schedule;

import com.google.protobuf.Timestamp;
import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Output;
import dev.hourglass.cli.client.Payloads;
import dev.hourglass.cli.client.Session;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.schedule.v1.ScheduleActionResult;
import io.temporal.api.schedule.v1.ScheduleInfo;
import io.temporal.api.workflow.v1.NewWorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hourglass schedule describe}: spec, action, state, counts, recent and next actions. */
@Command(name = "describe", description = "Show a schedule: its spec, action, state, recent and upcoming actions.", sortOptions = false)
final class ScheduleDescribeCommand extends ClientCommand {
  private static final int NEXT_SHOWN = 3;

  @Mixin
  ScheduleId schedule;

  @Override
  protected int run(Session session) {
    DescribeScheduleResponse response = session.connection().workflowService().describeSchedule(
        DescribeScheduleRequest.newBuilder().setNamespace(session.namespace()).setScheduleId(schedule.id).build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().card(card(session, schedule.id, response.getSchedule(), response.getInfo()));
    }
    return ExitCodes.OK;
  }

  private static Map<String, String> card(Session session, String id, Schedule schedule, ScheduleInfo info) {
    Map<String, String> card = new LinkedHashMap<>();
    card.put("ScheduleId", id);
    card.put("Spec", Payloads.toText(session.output().toJsonTree(schedule.getSpec())));
    NewWorkflowExecutionInfo action = schedule.getAction().getStartWorkflow();
    card.put("WorkflowType", action.getWorkflowType().getName());
    card.put("TaskQueue", action.getTaskQueue().getName());
    card.put("WorkflowId", action.getWorkflowId());
    card.put("OverlapPolicy", Output.enumName(schedule.getPolicies().getOverlapPolicy(), "SCHEDULE_OVERLAP_POLICY_"));
    card.put("Paused", Boolean.toString(schedule.getState().getPaused()));
    card.put("Notes", schedule.getState().getNotes());
    if (schedule.getState().getLimitedActions()) {
      card.put("RemainingActions", Long.toString(schedule.getState().getRemainingActions()));
    }
    card.put("Actions", Long.toString(info.getActionCount()));
    card.put("MissedCatchupWindow", Long.toString(info.getMissedCatchupWindow()));
    card.put("OverlapSkipped", Long.toString(info.getOverlapSkipped()));
    card.put("Running", info.getRunningWorkflowsList().stream().map(run -> run.getWorkflowId()).collect(Collectors.joining(", ")));
    card.put("RecentActions", recent(info.getRecentActionsList()));
    card.put("NextActions", info.getFutureActionTimesList().stream().limit(NEXT_SHOWN).map(Output::time)
        .collect(Collectors.joining(", ")));
    return card;
  }

  private static String recent(List<ScheduleActionResult> actions) {
    return actions.stream()
        .map(action -> time(action.getScheduleTime()) + " " + action.getStartWorkflowResult().getWorkflowId()
            + " (" + Output.enumName(action.getStartWorkflowStatus(), "WORKFLOW_EXECUTION_STATUS_") + ")")
        .collect(Collectors.joining(", "));
  }

  private static String time(Timestamp timestamp) {
    return Output.time(timestamp);
  }
}
