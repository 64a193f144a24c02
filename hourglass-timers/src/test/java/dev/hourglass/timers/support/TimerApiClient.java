package dev.hourglass.timers.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The timers' REST API over real HTTP, as a client would call it. */
public final class TimerApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: status, raw body, and the body parsed as JSON (null when empty). */
  public record Response(int status, String body, JsonNode json) {
    public String id() {
      return json.get("id").asText();
    }
  }

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public TimerApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public Response create(int hours, int minutes, int seconds, String url) {
    return post("/timers", json(Map.of("hours", hours, "minutes", minutes, "seconds", seconds, "url", url)), Map.of());
  }

  public Response createWithKey(int seconds, String url, String idempotencyKey) {
    return post("/timers", json(Map.of("seconds", seconds, "url", url)), Map.of("Idempotency-Key", idempotencyKey));
  }

  public Response post(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request);
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
  }

  public Response timer(String id) {
    return get("/timers/" + id);
  }

  public Response delete(String id) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/timers/" + id)).DELETE());
  }

  public Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return new Response(response.statusCode(), body, body == null || body.isBlank() ? null : JSON.readTree(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
