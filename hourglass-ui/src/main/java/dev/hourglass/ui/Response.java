package dev.hourglass.ui;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/** What a page handler answers: a status, a content type and a body, or a redirect. */
record Response(int status, String contentType, byte[] body, String location) {
  private static final String HTML = "text/html; charset=utf-8";

  Response {
    requireNonNull(contentType, "contentType is null");
    requireNonNull(body, "body is null");
  }

  static Response html(String html) {
    return html(200, html);
  }

  static Response html(int status, String html) {
    return new Response(status, HTML, html.getBytes(StandardCharsets.UTF_8), null);
  }

  /** 303 See Other: after a form, the browser loads {@code location} with GET. */
  static Response redirect(String location) {
    return new Response(303, HTML, new byte[0], requireNonNull(location, "location is null"));
  }
}
