package dev.hourglass.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.timers.support.TimerApiClient;
import dev.hourglass.timers.support.TimerApiClient.Response;
import dev.hourglass.timers.testing.WebhookReceiver;
import dev.hourglass.timers.testing.WebhookReceiver.Delivery;
import dev.hourglass.timers.workflow.DeadlineChange;
import dev.hourglass.timers.workflow.TimerWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REST API end to end: real HTTP against {@link TimerSystem} (embedded server, API and worker
 * in this JVM), webhooks to a real receiver on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimerApiTest {
  /** How late a webhook may arrive after its deadline. */
  static final Duration FIRE_TOLERANCE = Duration.ofSeconds(1);

  @TempDir static Path dataDir;
  private WebhookReceiver receiver;
  private TimerSystem system;
  private TimerApiClient api;
  private WorkflowServiceStubs stubs;
  private WorkflowClient client;

  @BeforeAll
  void start() {
    receiver = WebhookReceiver.start();
    system = TimerSystem.start(TimerSystemOptions.defaults()
        .withApiPort(0)
        .withEmbeddedServer(ServerOptions.defaults().withPort(0).withDbFile(dataDir.resolve("hourglass.db"))));
    api = new TimerApiClient(system.apiUrl().orElseThrow());
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(system.temporalAddress()).build());
    client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    // Warm up: the first timer loads the SDK's and the service's classes, which on a busy machine
    // takes longer than the SDK allows a workflow thread before it reports a deadlock.
    String warmUp = api.create(0, 0, 0, receiver.baseUrl()).id();
    await().atMost(Duration.ofSeconds(30)).until(() -> api.timer(warmUp).json().get("status").asText().equals("fired"));
  }

  @AfterAll
  void stop() {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (system != null) {
      system.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  /** A created timer, with the window its deadline lies in (the server picks it between request and answer). */
  record Created(String id, long earliestDeadline, long latestDeadline) {}

  private Created create(int seconds) {
    long before = System.currentTimeMillis();
    Response response = api.create(0, 0, seconds, receiver.baseUrl());
    long after = System.currentTimeMillis();
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().size()).isEqualTo(1);
    String id = response.id();
    assertThat(UUID.fromString(id).version()).isEqualTo(4);
    return new Created(id, before + seconds * 1000L, after + seconds * 1000L);
  }

  private Delivery awaitSingleDelivery(String id, Duration within) {
    await().atMost(within).until(() -> !receiver.deliveries(id).isEmpty());
    return receiver.deliveries(id).get(0);
  }

  private static void assertOnTime(Delivery delivery, long earliestDeadline, long latestDeadline) {
    assertThat(delivery.receivedAtMillis()).as("not before the deadline").isGreaterThanOrEqualTo(earliestDeadline);
    assertThat(delivery.receivedAtMillis() - latestDeadline).as("ms after the deadline").isLessThanOrEqualTo(FIRE_TOLERANCE.toMillis());
  }

  @Test
  void timersFireOnceAtTheirDeadlineWithAnEmptyPost() {
    List<Created> timers = new ArrayList<>();
    for (int seconds = 3; seconds >= 1; seconds--) {
      timers.add(create(seconds));
    }
    Created longest = timers.get(0);
    // time_left counts down in whole seconds, rounded up, while the timers wait.
    long beforeGet = System.currentTimeMillis();
    long firstLeft = api.timer(longest.id()).json().get("time_left").asLong();
    long afterGet = System.currentTimeMillis();
    assertThat(firstLeft).isBetween(Math.max(0, (longest.earliestDeadline() - afterGet) / 1000),
        Math.max(0, (longest.latestDeadline() - beforeGet + 999) / 1000));
    List<Long> seen = new ArrayList<>();
    await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200)).until(() -> {
      seen.add(api.timer(longest.id()).json().get("time_left").asLong());
      return seen.get(seen.size() - 1) == 0;
    });
    assertThat(seen).isSortedAccordingTo((a, b) -> Long.compare(b, a)).contains(0L);

    for (Created timer : timers) {
      Delivery delivery = awaitSingleDelivery(timer.id(), Duration.ofSeconds(5));
      assertThat(delivery.method()).isEqualTo("POST");
      assertThat(delivery.path()).isEqualTo(WebhookReceiver.PATH + "/" + timer.id());
      assertThat(delivery.body()).isEmpty();
      assertOnTime(delivery, timer.earliestDeadline(), timer.latestDeadline());
    }
    // Exactly one call each, and it stays that way.
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> timers.stream().allMatch(timer -> receiver.deliveries(timer.id()).size() == 1));
    for (Created timer : timers) {
      JsonNode view = api.timer(timer.id()).json();
      assertThat(view.get("id").asText()).isEqualTo(timer.id());
      assertThat(view.get("time_left").asLong()).isZero();
      assertThat(view.get("status").asText()).isEqualTo("fired");
      assertThat(view.get("attempts").asInt()).isEqualTo(1);
      assertThat(view.get("last_error").isNull()).isTrue();
    }
  }

  @Test
  void retriesUntilTheReceiverAnswers2xx() {
    Created timer = create(1);
    receiver.answer(timer.id(), 500, 500);

    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.successes(timer.id()).size() == 1);
    List<Delivery> calls = receiver.deliveries(timer.id());
    assertThat(calls).extracting(Delivery::status).containsExactly(500, 500, 200);
    assertOnTime(calls.get(0), timer.earliestDeadline(), timer.latestDeadline());
    // Backoff: 1 s, then 2 s.
    assertThat(calls.get(1).receivedAtMillis() - calls.get(0).receivedAtMillis()).isGreaterThanOrEqualTo(900);
    assertThat(calls.get(2).receivedAtMillis() - calls.get(1).receivedAtMillis()).isGreaterThanOrEqualTo(1900);
    await().atMost(Duration.ofSeconds(5)).until(() -> api.timer(timer.id()).json().get("status").asText().equals("fired"));
    JsonNode view = api.timer(timer.id()).json();
    assertThat(view.get("attempts").asInt()).isEqualTo(3);
    assertThat(view.get("time_left").asLong()).isZero();
  }

  @Test
  void failsAfterFiveAttempts() {
    Created timer = create(0);
    receiver.answer(timer.id(), 500, 500, 503, 500, 502);
    // Calls at 0, 1, 3, 7 and 15 s; while it retries, GET shows it firing with the last error.
    await().atMost(Duration.ofSeconds(8)).until(() -> receiver.deliveries(timer.id()).size() >= 2);
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
      JsonNode firing = api.timer(timer.id()).json();
      assertThat(firing.get("status").asText()).isEqualTo("firing");
      assertThat(firing.get("attempts").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(firing.get("last_error").asText()).contains("HTTP 50");
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> api.timer(timer.id()).json().get("status").asText().equals("failed"));
    JsonNode failed = api.timer(timer.id()).json();
    assertThat(failed.get("attempts").asInt()).isEqualTo(5);
    assertThat(failed.get("last_error").asText()).contains("HTTP 502");
    assertThat(receiver.deliveries(timer.id())).hasSize(5);
    // A failed timer cannot be cancelled: it has fired.
    assertThat(api.delete(timer.id()).status()).isEqualTo(409);
  }

  @Test
  void setDeadlineSignalMovesATimerEarlier() {
    Created timer = create(59);
    assertThat(api.timer(timer.id()).json().get("time_left").asLong()).isBetween(58L, 59L);
    long newDeadline = System.currentTimeMillis() + 1500;
    TimerWorkflow workflow = client.newWorkflowStub(TimerWorkflow.class, timer.id());
    workflow.setDeadline(new DeadlineChange(newDeadline));
    await().atMost(Duration.ofSeconds(3)).until(() -> workflow.getDeadline() == newDeadline);
    assertThat(api.timer(timer.id()).json().get("time_left").asLong()).isBetween(0L, 2L);

    Delivery delivery = awaitSingleDelivery(timer.id(), Duration.ofSeconds(5));
    assertOnTime(delivery, newDeadline, newDeadline);
  }

  @Test
  void setDeadlineSignalMovesATimerLater() {
    // The first deadline leaves the signal time to arrive on a loaded machine.
    Created timer = create(3);
    long newDeadline = System.currentTimeMillis() + 5000;
    client.newWorkflowStub(TimerWorkflow.class, timer.id()).setDeadline(new DeadlineChange(newDeadline));

    Delivery delivery = awaitSingleDelivery(timer.id(), Duration.ofSeconds(8));
    assertOnTime(delivery, newDeadline, newDeadline);
    assertThat(receiver.deliveries(timer.id())).hasSize(1);
  }

  @Test
  void deleteCancelsAPendingTimer() {
    Created timer = create(3);
    Response deleted = api.delete(timer.id());
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();

    JsonNode view = api.timer(timer.id()).json();
    assertThat(view.get("status").asText()).isEqualTo("cancelled");
    assertThat(view.get("time_left").asLong()).isZero();
    // Well past its deadline, it never fired.
    long quietUntil = timer.latestDeadline() + FIRE_TOLERANCE.toMillis();
    await().during(Duration.ofMillis(Math.max(0, quietUntil - System.currentTimeMillis()))).atMost(Duration.ofSeconds(5))
        .until(() -> receiver.deliveries(timer.id()).isEmpty());
    // Deleting again is harmless.
    assertThat(api.delete(timer.id()).status()).isEqualTo(204);
  }

  @Test
  void deleteOfAFiredTimerConflictsAndOfAnUnknownOneIsNotFound() {
    Created timer = create(0);
    awaitSingleDelivery(timer.id(), Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.timer(timer.id()).json().get("status").asText().equals("fired"));

    Response conflict = api.delete(timer.id());
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.json().get("message").asText()).isEqualTo("Timer already fired");
    Response unknown = api.delete(UUID.randomUUID().toString());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(api.delete("not-a-uuid").status()).isEqualTo(400);
  }

  @Test
  void idempotencyKeyReturnsTheSameTimer() {
    String key = "order-" + UUID.randomUUID();
    Response first = api.createWithKey(1, receiver.baseUrl(), key);
    Response second = api.createWithKey(1, receiver.baseUrl(), key);
    Response other = api.createWithKey(1, receiver.baseUrl(), key + "-other");
    assertThat(first.status()).isEqualTo(200);
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(other.id()).isNotEqualTo(first.id());
    assertThat(UUID.fromString(first.id()).version()).isEqualTo(4);

    awaitSingleDelivery(first.id(), Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.timer(first.id()).json().get("status").asText().equals("fired"));
    // After it fired, the key still names the same timer, and nothing fires again.
    assertThat(api.createWithKey(1, receiver.baseUrl(), key).id()).isEqualTo(first.id());
    await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> receiver.deliveries(first.id()).size() == 1);
  }

  static Stream<Arguments> invalidBodies() {
    String url = "http://127.0.0.1:9/hooks";
    return Stream.of(
        Arguments.of(Map.of("minutes", 60, "url", url), "minutes must not be greater than 59"),
        Arguments.of(Map.of("seconds", 60, "url", url), "seconds must not be greater than 59"),
        Arguments.of(Map.of("minutes", -1, "url", url), "minutes must not be less than 0"),
        Arguments.of(Map.of("hours", -1, "url", url), "hours must not be less than 0"),
        Arguments.of(Map.of("hours", 1.5, "url", url), "hours must be an integer number"),
        Arguments.of(Map.of("seconds", "5", "url", url), "seconds must be an integer number"),
        Arguments.of(Map.of("seconds", 5), "url should not be empty"),
        Arguments.of(Map.of("seconds", 5, "url", "/hooks"), "url must be an absolute http or https URL"),
        Arguments.of(Map.of("seconds", 5, "url", "ftp://example.com/hooks"), "url must be an absolute http or https URL"),
        Arguments.of(Map.of("seconds", 5, "url", "not a url"), "url must be an absolute http or https URL"),
        Arguments.of(Map.of("seconds", 5, "url", 42), "url must be a string"));
  }

  @ParameterizedTest
  @MethodSource("invalidBodies")
  void validationErrorsNameTheField(Map<String, Object> body, String message) {
    Response response = api.post("/timers", TimerApiClient.json(body), Map.of());
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("statusCode").asInt()).isEqualTo(400);
    assertThat(response.json().get("message")).extracting(JsonNode::toString).asString().contains(message);
  }

  @Test
  void bodiesThatAreNotJsonObjectsAreRejected() {
    assertThat(api.post("/timers", "{\"seconds\": 1,", Map.of()).status()).isEqualTo(400);
    assertThat(api.post("/timers", "[1]", Map.of()).status()).isEqualTo(400);
    Response plain = api.send(HttpRequest.newBuilder(URI.create(system.apiUrl().orElseThrow() + "/timers"))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(plain.status()).isEqualTo(415);
  }

  @Test
  void defaultsAreZeroSoOnlyTheUrlIsRequired() {
    long before = System.currentTimeMillis();
    Response response = api.post("/timers", TimerApiClient.json(Map.of("url", receiver.baseUrl())), Map.of());
    assertThat(response.status()).isEqualTo(200);
    Delivery delivery = awaitSingleDelivery(response.id(), Duration.ofSeconds(5));
    assertThat(delivery.receivedAtMillis() - before).isLessThan(FIRE_TOLERANCE.toMillis() + 1000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "12345", "a8098c1a-f86e-11da-bd1a-00112444be1e", "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6"})
  void idsThatAreNotUuidV4AreBadRequests(String id) {
    Response response = api.timer(id);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("statusCode").asInt()).isEqualTo(400);
  }

  @Test
  void unknownTimerIsNotFoundWithTheOriginalsBody() {
    Response response = api.timer(UUID.randomUUID().toString());
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"statusCode\":404,\"message\":\"Timer not found\"}");
  }

  @Test
  void timersAreListedByStatusThroughTheServersListApi() {
    String scheduled = api.create(1, 0, 0, receiver.baseUrl()).id();
    String cancelled = api.create(1, 0, 0, receiver.baseUrl()).id();
    assertThat(api.delete(cancelled).status()).isEqualTo(204);
    String fired = create(0).id();
    await().atMost(Duration.ofSeconds(5)).until(() -> api.timer(fired).json().get("status").asText().equals("fired"));

    assertThat(listedIds("/timers?status=scheduled")).contains(scheduled).doesNotContain(cancelled, fired);
    assertThat(listedIds("/timers?status=cancelled")).contains(cancelled).doesNotContain(scheduled, fired);
    assertThat(listedIds("/timers?status=fired")).contains(fired).doesNotContain(scheduled, cancelled);
    assertThat(listedIds("/timers?limit=1000")).contains(scheduled, cancelled, fired);
    assertThat(listedIds("/timers?limit=1")).hasSize(1);
    Response listed = api.get("/timers?status=scheduled&limit=10");
    assertThat(listed.status()).isEqualTo(200);
    JsonNode view = java.util.stream.StreamSupport.stream(listed.json().spliterator(), false)
        .filter(timer -> timer.get("id").asText().equals(scheduled)).findFirst().orElseThrow();
    assertThat(view.get("time_left").asLong()).isBetween(3500L, 3600L);

    assertThat(api.get("/timers?status=sleeping").status()).isEqualTo(400);
    assertThat(api.get("/timers?limit=0").status()).isEqualTo(400);
    assertThat(api.get("/timers?limit=x").status()).isEqualTo(400);
  }

  private List<String> listedIds(String path) {
    Response response = api.get(path);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    response.json().forEach(timer -> ids.add(timer.get("id").asText()));
    return ids;
  }

  @Test
  void openApiAndSwaggerUiAreServedAtApiDocs() throws Exception {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpResponse<String> ui = http.send(HttpRequest.newBuilder(URI.create(system.apiUrl().orElseThrow() + "/api-docs")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(ui.body()).containsIgnoringCase("swagger");

    Response spec = api.get("/api-docs-json");
    assertThat(spec.status()).isEqualTo(200);
    assertThat(spec.json().at("/paths/~1timers/post")).isNotNull();
    assertThat(spec.json().at("/paths/~1timers~1{id}/get/responses/404").isMissingNode()).isFalse();
    assertThat(spec.json().at("/components/schemas/CreateTimerRequest/properties/url").isMissingNode()).isFalse();
  }
}
