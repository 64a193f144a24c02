package dev.hourglass.timers.workflow;

import static java.util.Objects.requireNonNull;

import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls webhooks with the JDK's HTTP client; one client shared by all attempts. */
public final class WebhookActivitiesImpl implements WebhookActivities {
  private static final Logger log = LoggerFactory.getLogger(WebhookActivitiesImpl.class);
  /** Under the activity's 1 minute start-to-close, so a slow receiver fails the attempt cleanly. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(50);
  static final String HTTP_STATUS_FAILURE = "WebhookHttpStatus";
  static final String CONNECTION_FAILURE = "WebhookConnectionFailed";

  private final HttpClient http;

  public WebhookActivitiesImpl() {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build());
  }

  public WebhookActivitiesImpl(HttpClient http) {
    this.http = requireNonNull(http, "http is null");
  }

  @Override
  public int deliver(String url, String timerId) {
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    URI target = URI.create(url + "/" + timerId);
    HttpRequest request = HttpRequest.newBuilder(target)
        .POST(HttpRequest.BodyPublishers.noBody())
        .timeout(REQUEST_TIMEOUT)
        .build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (HttpTimeoutException e) {
      throw attemptFailed(CONNECTION_FAILURE, "POST " + target + " timed out", attempt, timerId);
    } catch (IOException e) {
      throw attemptFailed(CONNECTION_FAILURE, "POST " + target + " failed: " + describe(e), attempt, timerId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw attemptFailed(CONNECTION_FAILURE, "POST " + target + " interrupted", attempt, timerId);
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw attemptFailed(HTTP_STATUS_FAILURE, "POST " + target + " answered HTTP " + status, attempt, timerId);
    }
    log.atInfo().addKeyValue("timerId", timerId).addKeyValue("attempt", attempt).addKeyValue("status", status).log("Webhook delivered");
    return attempt;
  }

  /**
   * Loads the HTTP client's classes before the first real call, with a request to a loopback
   * port nothing listens on (refused at once); a fresh JVM otherwise spends most of a second on
   * its first webhook.
   */
  public void warmUp() {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/warm-up"))
        .POST(HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(1))
        .build();
    try {
      http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // Expected: connection refused.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ApplicationFailure attemptFailed(String type, String message, int attempt, String timerId) {
    log.atWarn().addKeyValue("timerId", timerId).addKeyValue("attempt", attempt).log(message);
    return ApplicationFailure.newFailure(message, type, attempt);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
