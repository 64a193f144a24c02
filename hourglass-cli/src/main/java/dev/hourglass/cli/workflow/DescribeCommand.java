package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.Durations;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Output;
import dev.hourglass.cli.client.Payloads;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hourglass workflow describe}: one run's state, its pending activities and children. */
@Command(name = "describe", description = "Show a workflow's state, pending activities and pending child workflows.", sortOptions = false)
final class DescribeCommand extends ClientCommand {
  @Mixin
  ExecutionOptions execution;

  @Override
  protected int run(Session session) {
    DescribeWorkflowExecutionResponse response = session.connection().workflowService().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder().setNamespace(session.namespace()).setExecution(execution.execution()).build());
    if (session.output().json()) {
      session.output().printJson(response);
      return ExitCodes.OK;
    }
    Output output = session.output();
    output.line("Execution Info:");
    output.card(infoCard(response.getWorkflowExecutionInfo(), response));
    if (response.getPendingActivitiesCount() > 0) {
      output.line("");
      output.line("Pending Activities: " + response.getPendingActivitiesCount());
      output.table(List.of("ActivityId", "Type", "State", "Attempt", "LastFailure"), activityRows(response.getPendingActivitiesList()));
    }
    if (response.getPendingChildrenCount() > 0) {
      output.line("");
      output.line("Pending Child Workflows: " + response.getPendingChildrenCount());
      output.table(List.of("WorkflowId", "RunId", "Type"), childRows(response.getPendingChildrenList()));
    }
    return ExitCodes.OK;
  }

  private static Map<String, String> infoCard(WorkflowExecutionInfo info, DescribeWorkflowExecutionResponse response) {
    Map<String, String> card = new LinkedHashMap<>();
    card.put("WorkflowId", info.getExecution().getWorkflowId());
    card.put("RunId", info.getExecution().getRunId());
    card.put("Type", info.getType().getName());
    card.put("TaskQueue", info.getTaskQueue());
    card.put("Status", Output.enumName(info.getStatus(), "WORKFLOW_EXECUTION_STATUS_"));
    card.put("StartTime", Output.time(info.getStartTime()));
    if (info.hasCloseTime()) {
      card.put("CloseTime", Output.time(info.getCloseTime()));
    }
    card.put("HistoryLength", Long.toString(info.getHistoryLength()));
    // Zero means "no limit": only a limit that exists is worth a line.
    if (response.getExecutionConfig().getWorkflowExecutionTimeout().getSeconds() > 0) {
      card.put("ExecutionTimeout", Durations.format(response.getExecutionConfig().getWorkflowExecutionTimeout()));
    }
    if (response.getExecutionConfig().getWorkflowRunTimeout().getSeconds() > 0) {
      card.put("RunTimeout", Durations.format(response.getExecutionConfig().getWorkflowRunTimeout()));
    }
    if (info.hasParentExecution()) {
      card.put("ParentWorkflowId", info.getParentExecution().getWorkflowId());
      card.put("ParentRunId", info.getParentExecution().getRunId());
    }
    info.getMemo().getFieldsMap().forEach((key, value) -> card.put("Memo." + key, Payloads.toText(Payloads.decode(value))));
    info.getSearchAttributes().getIndexedFieldsMap().forEach((key, value) ->
        card.put("SearchAttributes." + key, Payloads.toText(Payloads.decode(value))));
    return card;
  }

  private static List<List<String>> activityRows(List<PendingActivityInfo> activities) {
    List<List<String>> rows = new ArrayList<>();
    for (PendingActivityInfo activity : activities) {
      rows.add(List.of(activity.getActivityId(), activity.getActivityType().getName(),
          Output.enumName(activity.getState(), "PENDING_ACTIVITY_STATE_"), Integer.toString(activity.getAttempt()),
          activity.hasLastFailure() ? RunOutcome.failureText(activity.getLastFailure()) : ""));
    }
    return rows;
  }

  private static List<List<String>> childRows(List<PendingChildExecutionInfo> children) {
    List<List<String>> rows = new ArrayList<>();
    for (PendingChildExecutionInfo child : children) {
      rows.add(List.of(child.getWorkflowId(), child.getRunId(), child.getWorkflowTypeName()));
    }
    return rows;
  }
}
