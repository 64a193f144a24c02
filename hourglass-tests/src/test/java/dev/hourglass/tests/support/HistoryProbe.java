package dev.hourglass.tests.support;

import static java.util.Objects.requireNonNull;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Timestamps;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Reads workflow histories through the SDK client, and waits for an event to appear in one. */
public final class HistoryProbe {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private final WorkflowClient client;

  public HistoryProbe(WorkflowClient client) {
    this.client = requireNonNull(client, "client is null");
  }

  /** The whole history of the workflow's latest run, all pages. */
  public List<HistoryEvent> events(String workflowId) {
    return client.fetchHistory(workflowId).getEvents();
  }

  public List<EventType> eventTypes(String workflowId) {
    return events(workflowId).stream().map(HistoryEvent::getEventType).collect(Collectors.toUnmodifiableList());
  }

  /**
   * One line per event: id, type, milliseconds since the first event and, for workflow tasks, the
   * queue kind and timeout type, for activities the attempt; for failure messages that must explain a slow or stuck workflow.
   */
  public String render(String workflowId) {
    List<HistoryEvent> events = events(workflowId);
    if (events.isEmpty()) {
      return workflowId + ": no events";
    }
    long startMillis = Timestamps.toMillis(events.get(0).getEventTime());
    StringBuilder rendered = new StringBuilder(workflowId).append(':');
    for (HistoryEvent event : events) {
      rendered.append(System.lineSeparator()).append(String.format("  %3d +%6d ms %s", event.getEventId(),
          Timestamps.toMillis(event.getEventTime()) - startMillis, event.getEventType().name().replace("EVENT_TYPE_", "")));
      if (event.hasWorkflowTaskScheduledEventAttributes()) {
        rendered.append(' ').append(event.getWorkflowTaskScheduledEventAttributes().getTaskQueue().getKind());
      }
      if (event.hasActivityTaskStartedEventAttributes()) {
        rendered.append(" attempt ").append(event.getActivityTaskStartedEventAttributes().getAttempt());
      }
      if (event.hasWorkflowTaskTimedOutEventAttributes()) {
        rendered.append(' ').append(event.getWorkflowTaskTimedOutEventAttributes().getTimeoutType());
      }
    }
    return rendered.toString();
  }

  public static long count(List<HistoryEvent> events, EventType type) {
    return events.stream().filter(event -> event.getEventType() == type).count();
  }

  /** Waits until the history holds at least {@code occurrences} events of {@code type}. */
  public void awaitEvent(String workflowId, EventType type, int occurrences, Duration timeout) {
    await("history of " + workflowId + " holds " + occurrences + " × " + type)
        .atMost(timeout)
        .pollInterval(POLL_INTERVAL)
        .ignoreExceptions()
        .until(() -> count(events(workflowId), type) >= occurrences);
  }

  public void awaitEvent(String workflowId, EventType type, Duration timeout) {
    awaitEvent(workflowId, type, 1, timeout);
  }
}
