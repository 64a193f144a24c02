package dev.hourglass.cli.schedule;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.hourglass.cli.client.Durations;
import dev.hourglass.cli.client.InvalidSettingsException;
import dev.hourglass.cli.workflow.StartOptions;
import io.temporal.api.schedule.v1.CalendarSpec;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.schedule.v1.ScheduleAction;
import io.temporal.api.schedule.v1.SchedulePolicies;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.schedule.v1.ScheduleState;
import io.temporal.api.workflow.v1.NewWorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A whole schedule as {@code schedule create} and {@code schedule update} take it: when (spec),
 * what (the workflow to start, with {@code workflow start}'s flags), policies and state.
 */
final class ScheduleOptions {
  @Option(names = "--cron", paramLabel = "EXPRESSION",
      description = "Cron expression, e.g. '0 7 * * mon-fri', '@daily', '@every 90m', 'CRON_TZ=Europe/Paris 0 7 * * *'. Repeatable.")
  List<String> crons = new ArrayList<>();

  @Option(names = "--interval", paramLabel = "DURATION[/PHASE]", description = "Every DURATION, offset by PHASE, e.g. 1h or 1h/15m. Repeatable.")
  List<String> intervals = new ArrayList<>();

  @Option(names = "--calendar", paramLabel = "JSON",
      description = "Calendar spec as JSON, e.g. '{\"hour\":\"9\",\"dayOfWeek\":\"MON-FRI\"}'. Repeatable.")
  List<String> calendars = new ArrayList<>();

  @Option(names = "--start-time", paramLabel = "TIME", description = "No actions before this RFC 3339 time.")
  String startTime;

  @Option(names = "--end-time", paramLabel = "TIME", description = "No actions after this RFC 3339 time.")
  String endTime;

  @Option(names = "--jitter", paramLabel = "DURATION", converter = Durations.Converter.class,
      description = "Delay each action by a random amount up to this.")
  Duration jitter;

  @Option(names = "--time-zone", paramLabel = "ZONE", description = "Time zone of cron and calendar specs, e.g. Europe/Paris (default: UTC).")
  String timeZone;

  @Option(names = "--overlap-policy", paramLabel = "POLICY",
      description = "When an action is due while the last one still runs: " + OverlapPolicies.CHOICES + " (default: Skip).")
  String overlapPolicy;

  @Option(names = "--catchup-window", paramLabel = "DURATION", converter = Durations.Converter.class,
      description = "After downtime, take missed actions at most this old (default: 1 year).")
  Duration catchupWindow;

  @Option(names = "--pause-on-failure", description = "Pause the schedule when a workflow it started fails or times out.")
  boolean pauseOnFailure;

  @Option(names = "--paused", description = "Create (or update) the schedule paused.")
  boolean paused;

  @Option(names = "--notes", paramLabel = "TEXT", description = "Notes, e.g. why it is paused.")
  String notes;

  @Option(names = "--remaining-actions", paramLabel = "N", description = "Take only N more actions, then stop.")
  Long remainingActions;

  @Mixin
  StartOptions workflow;

  Schedule schedule(String scheduleId, String namespace, String identity) {
    return Schedule.newBuilder()
        .setSpec(spec())
        .setAction(ScheduleAction.newBuilder().setStartWorkflow(action(scheduleId, namespace, identity)))
        .setPolicies(policies())
        .setState(state())
        .build();
  }

  private ScheduleSpec spec() {
    if (crons.isEmpty() && intervals.isEmpty() && calendars.isEmpty()) {
      throw new InvalidSettingsException("A schedule needs a time: give --cron, --interval or --calendar");
    }
    ScheduleSpec.Builder spec = ScheduleSpec.newBuilder().addAllCronString(crons);
    intervals.forEach(interval -> spec.addInterval(interval(interval)));
    calendars.forEach(calendar -> spec.addCalendar(calendar(calendar)));
    if (startTime != null) {
      spec.setStartTime(Times.parse(startTime, "--start-time"));
    }
    if (endTime != null) {
      spec.setEndTime(Times.parse(endTime, "--end-time"));
    }
    if (jitter != null) {
      spec.setJitter(Durations.toProto(jitter));
    }
    if (timeZone != null) {
      spec.setTimezoneName(timeZone);
    }
    return spec.build();
  }

  private static IntervalSpec interval(String text) {
    String[] parts = text.split("/", 2);
    try {
      IntervalSpec.Builder interval = IntervalSpec.newBuilder().setInterval(Durations.toProto(Durations.parse(parts[0])));
      if (parts.length == 2) {
        interval.setPhase(Durations.toProto(Durations.parse(parts[1])));
      }
      return interval.build();
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingsException("Invalid --interval '" + text + "': " + e.getMessage());
    }
  }

  private static CalendarSpec calendar(String json) {
    CalendarSpec.Builder calendar = CalendarSpec.newBuilder();
    try {
      JsonFormat.parser().merge(json, calendar);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidSettingsException("Invalid --calendar: " + e.getMessage()
          + " (fields: second, minute, hour, dayOfMonth, month, year, dayOfWeek, comment)", e);
    }
    return calendar.build();
  }

  /** The workflow to start, from the same flags as {@code workflow start}; its id defaults to the schedule's. */
  private NewWorkflowExecutionInfo action(String scheduleId, String namespace, String identity) {
    StartWorkflowExecutionRequest start = workflow.request(namespace, identity);
    NewWorkflowExecutionInfo.Builder action = NewWorkflowExecutionInfo.newBuilder()
        .setWorkflowId(workflow.workflowId().orElse(scheduleId))
        .setWorkflowType(start.getWorkflowType())
        .setTaskQueue(start.getTaskQueue())
        .setWorkflowIdReusePolicy(start.getWorkflowIdReusePolicy());
    if (start.hasInput()) {
      action.setInput(start.getInput());
    }
    if (start.hasWorkflowExecutionTimeout()) {
      action.setWorkflowExecutionTimeout(start.getWorkflowExecutionTimeout());
    }
    if (start.hasWorkflowRunTimeout()) {
      action.setWorkflowRunTimeout(start.getWorkflowRunTimeout());
    }
    if (start.hasWorkflowTaskTimeout()) {
      action.setWorkflowTaskTimeout(start.getWorkflowTaskTimeout());
    }
    if (start.hasMemo()) {
      action.setMemo(start.getMemo());
    }
    if (start.hasSearchAttributes()) {
      action.setSearchAttributes(start.getSearchAttributes());
    }
    return action.build();
  }

  private SchedulePolicies policies() {
    SchedulePolicies.Builder policies = SchedulePolicies.newBuilder().setPauseOnFailure(pauseOnFailure);
    if (overlapPolicy != null) {
      policies.setOverlapPolicy(OverlapPolicies.parse(overlapPolicy));
    }
    if (catchupWindow != null) {
      policies.setCatchupWindow(Durations.toProto(catchupWindow));
    }
    return policies.build();
  }

  private ScheduleState state() {
    ScheduleState.Builder state = ScheduleState.newBuilder().setPaused(paused);
    if (notes != null) {
      state.setNotes(notes);
    }
    if (remainingActions != null) {
      state.setLimitedActions(true).setRemainingActions(remainingActions);
    }
    return state.build();
  }
}
