package dev.hourglass.ui;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request, parsed: the path as decoded segments (a workflow id may hold a {@code /},
 * sent as {@code %2F}, so segments are split before they are decoded), the query string and a
 * submitted form.
 */
record Request(String method, List<String> segments, Map<String, String> query, Map<String, String> form) {
  Request {
    requireNonNull(method, "method is null");
    segments = List.copyOf(segments);
    query = Map.copyOf(query);
    form = Map.copyOf(form);
  }

  static Request parse(String method, String rawPath, String rawQuery, String formBody) {
    List<String> segments = new ArrayList<>();
    for (String segment : rawPath.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return new Request(method, segments, parameters(rawQuery), parameters(formBody));
  }

  /** A query parameter, trimmed; empty when missing. */
  String param(String name) {
    return query.getOrDefault(name, "").trim();
  }

  /** A form field as typed (not trimmed: a signal's JSON input may be anything); empty when missing. */
  String field(String name) {
    return form.getOrDefault(name, "");
  }

  boolean isPost() {
    return method.equals("POST");
  }

  private static Map<String, String> parameters(String encoded) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return parameters;
    }
    for (String pair : encoded.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      parameters.putIfAbsent(name, value);
    }
    return parameters;
  }
}
