package dev.hourglass.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The URL of every page, built in one place so each page has one deep link:
 * {@code /namespaces/{ns}/workflows[?query=…&status=…&type=…]},
 * {@code /namespaces/{ns}/workflows/{workflowId}/{runId}}, {@code /namespaces/{ns}/schedules[/{id}]},
 * {@code /namespaces/{ns}/timers}.
 */
final class Links {
  private Links() {}

  static String workflows(String namespace) {
    return "/namespaces/" + segment(namespace) + "/workflows";
  }

  static String workflows(String namespace, Map<String, String> parameters) {
    return withQuery(workflows(namespace), parameters);
  }

  static String workflow(String namespace, String workflowId, String runId) {
    String path = workflows(namespace) + "/" + segment(workflowId);
    return runId == null || runId.isEmpty() ? path : path + "/" + segment(runId);
  }

  static String schedules(String namespace) {
    return "/namespaces/" + segment(namespace) + "/schedules";
  }

  static String schedule(String namespace, String scheduleId) {
    return schedules(namespace) + "/" + segment(scheduleId);
  }

  static String timers(String namespace) {
    return "/namespaces/" + segment(namespace) + "/timers";
  }

  static String withQuery(String path, Map<String, String> parameters) {
    StringJoiner query = new StringJoiner("&");
    parameters.forEach((name, value) -> {
      if (value != null && !value.isEmpty()) {
        query.add(encode(name) + "=" + encode(value));
      }
    });
    return query.length() == 0 ? path : path + "?" + query;
  }

  /** One path segment: a {@code /} inside an id is encoded, so it cannot split the path. */
  static String segment(String value) {
    return encode(value).replace("+", "%20");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
