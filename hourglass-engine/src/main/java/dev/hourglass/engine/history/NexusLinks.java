package dev.hourglass.engine.history;

import io.temporal.api.common.v1.Link;
import io.temporal.api.enums.v1.EventType;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Nexus links (a URL and a type) to workflow events, in the {@code temporal:///namespaces/…/history}
 * form the SDKs write, turned into the history's links. A link in any other form is left out.
 */
final class NexusLinks {
  private static final String WORKFLOW_EVENT_TYPE = Link.WorkflowEvent.getDescriptor().getFullName();

  private NexusLinks() {}

  static Optional<Link> toWorkflowEvent(io.temporal.api.nexus.v1.Link link) {
    if (!WORKFLOW_EVENT_TYPE.equals(link.getType())) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(link.getUrl());
      String[] path = uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/");
      // "", "namespaces", ns, "workflows", workflow id, run id, "history"
      if (!"temporal".equals(uri.getScheme()) || path.length != 7 || !path[1].equals("namespaces") || !path[3].equals("workflows")
          || !path[6].equals("history")) {
        return Optional.empty();
      }
      Link.WorkflowEvent.Builder event = Link.WorkflowEvent.newBuilder()
          .setNamespace(decode(path[2]))
          .setWorkflowId(decode(path[4]))
          .setRunId(decode(path[5]));
      Map<String, String> query = query(uri.getRawQuery());
      String referenceType = query.getOrDefault("referenceType", "");
      if (referenceType.equals(Link.WorkflowEvent.EventReference.getDescriptor().getName())) {
        Link.WorkflowEvent.EventReference.Builder reference = Link.WorkflowEvent.EventReference.newBuilder()
            .setEventType(eventType(query.getOrDefault("eventType", "")));
        if (query.containsKey("eventID")) {
          reference.setEventId(Long.parseLong(query.get("eventID")));
        }
        event.setEventRef(reference);
      } else if (referenceType.equals(Link.WorkflowEvent.RequestIdReference.getDescriptor().getName())) {
        event.setRequestIdRef(Link.WorkflowEvent.RequestIdReference.newBuilder()
            .setRequestId(query.getOrDefault("requestID", ""))
            .setEventType(eventType(query.getOrDefault("eventType", ""))));
      }
      return Optional.of(Link.newBuilder().setWorkflowEvent(event).build());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> values = new HashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          values.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
        }
      }
    }
    return values;
  }

  /** Both spellings the SDKs use: EVENT_TYPE_WORKFLOW_EXECUTION_STARTED and WorkflowExecutionStarted. */
  private static EventType eventType(String name) {
    if (name.isEmpty()) {
      return EventType.EVENT_TYPE_UNSPECIFIED;
    }
    if (name.startsWith("EVENT_TYPE_")) {
      return EventType.valueOf(name);
    }
    return EventType.valueOf("EVENT_TYPE_" + name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT));
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
