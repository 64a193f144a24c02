package dev.hourglass.ui;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.temporal.api.schedule.v1.ScheduleActionResult;
import io.temporal.api.schedule.v1.ScheduleListEntry;
import io.temporal.api.schedule.v1.SchedulePatch;
import io.temporal.api.schedule.v1.TriggerImmediatelyRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleResponse;
import io.temporal.api.workflowservice.v1.ListSchedulesRequest;
import io.temporal.api.workflowservice.v1.ListSchedulesResponse;
import io.temporal.api.workflowservice.v1.PatchScheduleRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The schedules pages: the list, one schedule, and its pause, unpause and trigger buttons (PatchSchedule). */
final class SchedulePages {
  private static final int MAX_LISTED = 1000;

  private final WorkflowServiceStubs service;

  SchedulePages(WorkflowServiceStubs service) {
    this.service = requireNonNull(service, "service is null");
  }

  Map<String, Object> listModel(String namespace) {
    Instant now = Instant.now();
    List<Entry> entries = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      ListSchedulesResponse page = service.blockingStub().listSchedules(ListSchedulesRequest.newBuilder()
          .setNamespace(namespace).setMaximumPageSize(100).setNextPageToken(token).build());
      for (ScheduleListEntry entry : page.getSchedulesList()) {
        var info = entry.getInfo();
        entries.add(new Entry(entry.getScheduleId(), Links.schedule(namespace, entry.getScheduleId()), info.getWorkflowType().getName(),
            String.join("; ", ScheduleSpecText.lines(info.getSpec())), info.getPaused(), info.getNotes(),
            info.getRecentActionsCount() == 0 ? null : When.of(info.getRecentActions(info.getRecentActionsCount() - 1).getActualTime(), now),
            info.getFutureActionTimesCount() == 0 ? null : When.of(info.getFutureActionTimes(0), now)));
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty() && entries.size() < MAX_LISTED);
    Map<String, Object> model = new HashMap<>();
    model.put("schedules", entries);
    return model;
  }

  Map<String, Object> model(String namespace, String scheduleId) {
    Instant now = Instant.now();
    DescribeScheduleResponse response = service.blockingStub().describeSchedule(DescribeScheduleRequest.newBuilder()
        .setNamespace(namespace).setScheduleId(scheduleId).build());
    var schedule = response.getSchedule();
    var info = response.getInfo();
    var action = schedule.getAction().getStartWorkflow();
    Map<String, Object> model = new HashMap<>();
    model.put("scheduleId", scheduleId);
    model.put("link", Links.schedule(namespace, scheduleId));
    model.put("spec", ScheduleSpecText.lines(schedule.getSpec()));
    model.put("paused", schedule.getState().getPaused());
    model.put("notes", schedule.getState().getNotes());
    model.put("workflowType", action.getWorkflowType().getName());
    model.put("workflowIdPrefix", action.getWorkflowId());
    model.put("taskQueue", action.getTaskQueue().getName());
    PayloadText.text(action.getInput()).ifPresent(input -> model.put("input", input));
    model.put("overlap", overlap(schedule.getPolicies().getOverlapPolicy()));
    model.put("actionCount", info.getActionCount());
    model.put("missed", info.getMissedCatchupWindow());
    model.put("overlapSkipped", info.getOverlapSkipped());
    model.put("created", When.of(info.getCreateTime(), now));
    model.put("updated", When.of(info.getUpdateTime(), now));
    model.put("running", info.getRunningWorkflowsList().stream()
        .map(run -> new Action(null, null, run.getWorkflowId(), Links.workflow(namespace, run.getWorkflowId(), run.getRunId()), null))
        .toList());
    List<Action> recent = new ArrayList<>();
    for (ScheduleActionResult result : info.getRecentActionsList()) {
      var run = result.getStartWorkflowResult();
      recent.add(new Action(When.of(result.getScheduleTime(), now), When.of(result.getActualTime(), now), run.getWorkflowId(),
          Links.workflow(namespace, run.getWorkflowId(), run.getRunId()), Statuses.of(result.getStartWorkflowStatus())));
    }
    java.util.Collections.reverse(recent);
    model.put("recent", recent);
    model.put("upcoming", info.getFutureActionTimesList().stream().map(time -> When.of(time, now)).toList());
    model.put("memo", PayloadText.texts(response.getMemo().getFieldsMap()));
    return model;
  }

  /** What happens when a time comes while the previous run still runs, in words. */
  private static String overlap(io.temporal.api.enums.v1.ScheduleOverlapPolicy policy) {
    return switch (policy) {
      case SCHEDULE_OVERLAP_POLICY_BUFFER_ONE -> "start one more after it";
      case SCHEDULE_OVERLAP_POLICY_BUFFER_ALL -> "start every missed one after it";
      case SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER -> "cancel it, then start";
      case SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER -> "terminate it, then start";
      case SCHEDULE_OVERLAP_POLICY_ALLOW_ALL -> "start anyway";
      default -> "skip this time";
    };
  }

  WorkflowActions.Outcome act(String action, String namespace, String scheduleId, Request request) {
    String note = request.field("note").trim();
    SchedulePatch patch = switch (action) {
      case "pause" -> SchedulePatch.newBuilder().setPause(note.isEmpty() ? "Paused from the web UI" : note).build();
      case "unpause" -> SchedulePatch.newBuilder().setUnpause(note.isEmpty() ? "Unpaused from the web UI" : note).build();
      case "trigger" -> SchedulePatch.newBuilder().setTriggerImmediately(TriggerImmediatelyRequest.getDefaultInstance()).build();
      default -> null;
    };
    if (patch == null) {
      return WorkflowActions.Outcome.error("Unknown action", action);
    }
    try {
      service.blockingStub().patchSchedule(PatchScheduleRequest.newBuilder()
          .setNamespace(namespace).setScheduleId(scheduleId).setPatch(patch)
          .setIdentity(WorkflowActions.IDENTITY).setRequestId(UUID.randomUUID().toString()).build());
    } catch (StatusRuntimeException e) {
      return WorkflowActions.Outcome.error("The server refused: " + e.getStatus().getCode(), e.getStatus().getDescription());
    }
    return WorkflowActions.Outcome.ok(switch (action) {
      case "pause" -> "Schedule paused";
      case "unpause" -> "Schedule unpaused";
      default -> "Schedule triggered: a workflow starts now";
    }, null);
  }

  record Entry(String scheduleId, String link, String workflowType, String spec, boolean paused, String notes, When lastRun, When nextRun) {}

  record Action(When scheduled, When actual, String workflowId, String link, Statuses.Status status) {}
}
