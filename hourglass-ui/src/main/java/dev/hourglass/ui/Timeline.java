package dev.hourglass.ui;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The event history as a timeline a person can read: the events of one activity (scheduled,
 * started, completed), one timer, one child workflow or one workflow task are one row, keyed by the
 * event they all point back to ({@code scheduled_event_id}, {@code initiated_event_id}, a timer's
 * {@code started_event_id}); each row expands to its events with every payload decoded.
 */
final class Timeline {
  /** Fields by which a later event names the event that began its group, in the order tried. */
  private static final List<String> GROUP_KEYS = List.of("scheduled_event_id", "initiated_event_id", "started_event_id");
  private static final int SUMMARY_LENGTH = 160;

  private Timeline() {}

  /**
   * @param pendingActivities by activity id: a failed attempt writes no event, so what an open
   *     activity is doing (its attempt, its last failure) comes from DescribeWorkflowExecution
   */
  static List<Row> rows(List<HistoryEvent> events, String namespace, Map<String, PendingActivityInfo> pendingActivities, Instant now) {
    Map<Long, List<HistoryEvent>> groups = new LinkedHashMap<>();
    for (HistoryEvent event : events) {
      long key = groupKey(event);
      List<HistoryEvent> group = key != 0 ? groups.get(key) : null;
      if (group != null) {
        group.add(event);
      } else {
        groups.computeIfAbsent(event.getEventId(), id -> new ArrayList<>()).add(event);
      }
    }
    boolean closed = !events.isEmpty() && isClose(events.get(events.size() - 1).getEventType());
    List<Row> rows = new ArrayList<>();
    for (List<HistoryEvent> group : groups.values()) {
      Row row = row(group, namespace, pendingActivities, now);
      // An activity or timer still open when the run closed never will finish: say so, not "Running".
      rows.add(closed && row.outcomeCss().equals("running") ? row.withOutcome("Never finished", "muted") : row);
    }
    return rows;
  }

  private static boolean isClose(EventType type) {
    return switch (type) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
          EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
          EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> true;
      default -> false;
    };
  }

  /** The event type in the history's own words, e.g. {@code ActivityTaskScheduled}. */
  static String typeName(EventType type) {
    StringBuilder name = new StringBuilder();
    for (String word : type.name().replaceFirst("^EVENT_TYPE_", "").split("_")) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }

  static Message attributes(HistoryEvent event) {
    for (Map.Entry<FieldDescriptor, Object> field : event.getAllFields().entrySet()) {
      if (field.getKey().getName().endsWith("_event_attributes")) {
        return (Message) field.getValue();
      }
    }
    return event;
  }

  private static long groupKey(HistoryEvent event) {
    Message attributes = attributes(event);
    for (String name : GROUP_KEYS) {
      FieldDescriptor field = attributes.getDescriptorForType().findFieldByName(name);
      if (field != null && field.getJavaType() == FieldDescriptor.JavaType.LONG) {
        long id = (Long) attributes.getField(field);
        if (id != 0) {
          return id;
        }
      }
    }
    return 0;
  }

  private static Row row(List<HistoryEvent> group, String namespace, Map<String, PendingActivityInfo> pendingActivities, Instant now) {
    HistoryEvent first = group.get(0);
    HistoryEvent last = group.get(group.size() - 1);
    List<EventView> views = group.stream()
        .map(event -> new EventView(event.getEventId(), typeName(event.getEventType()), When.of(event.getEventTime(), now),
            PayloadText.messageText(attributes(event))))
        .toList();
    String duration = group.size() > 1 ? Durations.between(first.getEventTime(), last.getEventTime()) : null;
    Title title = title(first, namespace);
    Outcome outcome = outcome(last, group.size() > 1);
    String summary = summary(group);
    PendingActivityInfo pending = first.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        ? pendingActivities.get(first.getActivityTaskScheduledEventAttributes().getActivityId()) : null;
    if (pending != null) {
      boolean started = pending.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
      outcome = new Outcome((started ? "Running" : pending.getAttempt() > 1 ? "Retrying" : "Scheduled") + ", attempt " + pending.getAttempt(),
          !started && pending.getAttempt() > 1 ? "retrying" : "running");
      if (pending.hasLastFailure()) {
        summary = cut("last failure: " + Failures.oneLine(pending.getLastFailure()));
      }
    }
    return new Row(first.getEventId(), last.getEventId(), When.of(first.getEventTime(), now), title.kind(), title.text(),
        title.link(), outcome.label(), outcome.css(), summary, duration, views);
  }

  private record Title(String kind, String text, String link) {}

  private static Title title(HistoryEvent event, String namespace) {
    return switch (event.getEventType()) {
      case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
        var attributes = event.getActivityTaskScheduledEventAttributes();
        yield new Title("activity", "Activity " + attributes.getActivityType().getName(), null);
      }
      case EVENT_TYPE_TIMER_STARTED -> {
        var attributes = event.getTimerStartedEventAttributes();
        yield new Title("timer", "Timer for " + Durations.words(attributes.getStartToFireTimeout()), null);
      }
      case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED -> {
        var attributes = event.getStartChildWorkflowExecutionInitiatedEventAttributes();
        String childNamespace = attributes.getNamespace().isEmpty() ? namespace : attributes.getNamespace();
        yield new Title("child", "Child workflow " + attributes.getWorkflowType().getName() + " " + attributes.getWorkflowId(),
            Links.workflow(childNamespace, attributes.getWorkflowId(), null));
      }
      case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> new Title("task", "Workflow task", null);
      case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED ->
          new Title("signal", "Signal received: " + event.getWorkflowExecutionSignaledEventAttributes().getSignalName(), null);
      case EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED -> {
        var attributes = event.getSignalExternalWorkflowExecutionInitiatedEventAttributes();
        yield new Title("signal", "Signal " + attributes.getSignalName() + " sent to " + attributes.getWorkflowExecution().getWorkflowId(),
            Links.workflow(namespace, attributes.getWorkflowExecution().getWorkflowId(), null));
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> new Title("workflow", "Workflow started", null);
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> new Title("workflow", "Workflow completed", null);
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> new Title("workflow", "Workflow failed", null);
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> new Title("workflow", "Workflow timed out", null);
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> new Title("workflow", "Workflow canceled", null);
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> new Title("workflow", "Workflow terminated", null);
      case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> new Title("workflow", "Workflow continued as new", null);
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED -> new Title("workflow", "Cancellation requested", null);
      case EVENT_TYPE_MARKER_RECORDED -> new Title("other", "Marker " + event.getMarkerRecordedEventAttributes().getMarkerName(), null);
      case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> new Title("update",
          "Update " + event.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getInput().getName() + " accepted", null);
      case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED -> new Title("update", "Update completed", null);
      case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> new Title("other", "Search attributes changed", null);
      default -> new Title("other", words(typeName(event.getEventType())), null);
    };
  }

  private record Outcome(String label, String css) {}

  /** Where a group ended up, from its latest event. */
  private static Outcome outcome(HistoryEvent last, boolean grouped) {
    String type = typeName(last.getEventType());
    if (type.endsWith("Failed") || type.endsWith("TimedOut") || type.equals("WorkflowExecutionTerminated")) {
      return new Outcome(type.endsWith("TimedOut") ? "Timed out" : type.endsWith("Failed") ? "Failed" : "Terminated", "bad");
    }
    if (type.endsWith("Completed") || type.equals("TimerFired") || type.equals("ExternalWorkflowExecutionSignaled")) {
      return new Outcome(type.equals("TimerFired") ? "Fired" : "Completed", "good");
    }
    if (type.endsWith("Canceled") || type.endsWith("CancelRequested")) {
      return new Outcome(type.endsWith("Canceled") ? "Canceled" : "Cancel requested", "muted");
    }
    if (type.endsWith("Started") && grouped) {
      return new Outcome("Running", "running");
    }
    if (type.endsWith("Scheduled") || type.endsWith("Initiated") || type.equals("TimerStarted")) {
      return new Outcome(type.equals("TimerStarted") ? "Waiting" : "Scheduled", "running");
    }
    return new Outcome("", "");
  }

  /** The line a person reads first: what went in or came out, or why it failed. */
  private static String summary(List<HistoryEvent> group) {
    HistoryEvent last = group.get(group.size() - 1);
    HistoryEvent first = group.get(0);
    Optional<String> text = switch (last.getEventType()) {
      case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> payloads("result", last.getActivityTaskCompletedEventAttributes().getResult());
      case EVENT_TYPE_ACTIVITY_TASK_FAILED -> failure(last.getActivityTaskFailedEventAttributes().getFailure());
      case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> failure(last.getActivityTaskTimedOutEventAttributes().getFailure());
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED -> payloads("result", last.getChildWorkflowExecutionCompletedEventAttributes().getResult());
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED -> failure(last.getChildWorkflowExecutionFailedEventAttributes().getFailure());
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> payloads("result", last.getWorkflowExecutionCompletedEventAttributes().getResult());
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> failure(last.getWorkflowExecutionFailedEventAttributes().getFailure());
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> Optional.of("reason: " + last.getWorkflowExecutionTerminatedEventAttributes().getReason());
      case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> payloads("input", last.getWorkflowExecutionSignaledEventAttributes().getInput());
      case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> payloads("input", last.getWorkflowExecutionStartedEventAttributes().getInput());
      case EVENT_TYPE_WORKFLOW_TASK_FAILED -> failure(last.getWorkflowTaskFailedEventAttributes().getFailure());
      case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW ->
          Optional.of("next run " + last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId());
      default -> first.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          ? payloads("input", first.getActivityTaskScheduledEventAttributes().getInput())
          : Optional.empty();
    };
    return text.map(Timeline::cut).orElse(null);
  }

  private static Optional<String> payloads(String label, Payloads payloads) {
    if (payloads.getPayloadsCount() == 0) {
      return Optional.empty();
    }
    List<String> values = payloads.getPayloadsList().stream().map(PayloadText::decode).map(Object::toString).toList();
    return Optional.of(label + ": " + String.join(", ", values));
  }

  private static Optional<String> failure(Failure failure) {
    return Optional.of(Failures.oneLine(failure));
  }

  private static String cut(String text) {
    return text.length() <= SUMMARY_LENGTH ? text : text.substring(0, SUMMARY_LENGTH) + "…";
  }

  /** {@code WorkflowPropertiesModified} → {@code Workflow properties modified}. */
  private static String words(String camel) {
    String spaced = camel.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
  }

  /**
   * One row of the timeline.
   *
   * @param kind activity, timer, child, task (workflow task), signal, workflow, update or other
   * @param outcomeCss good, bad, running or muted
   */
  record Row(long firstEventId, long lastEventId, When time, String kind, String title, String link, String outcome,
      String outcomeCss, String summary, String duration, List<EventView> events) {
    Row withOutcome(String label, String css) {
      return new Row(firstEventId, lastEventId, time, kind, title, link, label, css, summary, duration, events);
    }

    public String eventIds() {
      return firstEventId == lastEventId ? String.valueOf(firstEventId) : firstEventId + "–" + lastEventId;
    }
  }

  /** One event: its id, type, time and attributes as pretty JSON with payloads decoded. */
  record EventView(long id, String type, When time, String attributes) {}
}
