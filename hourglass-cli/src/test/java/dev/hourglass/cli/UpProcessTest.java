package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hourglass.timers.testing.WebhookReceiver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hourglass up} as a user runs it, in a JVM of its own: timers created over HTTP survive a
 * SIGKILL of the whole system. Started again on the same data file, every timer fires — overdue
 * ones at once — and none fires twice.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class UpProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String READY = "Timer worker polling task queue";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  /** An overdue timer fires this soon after the restarted system says it is ready. */
  private static final long OVERDUE_TOLERANCE_MILLIS = 2000;
  /** A timer still pending after the restart fires this soon after its deadline. */
  private static final long ON_TIME_TOLERANCE_MILLIS = 1000;

  @TempDir Path dir;
  private Process process;
  private WebhookReceiver receiver;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void timersSurviveASigkillOfTheWholeSystem() throws Exception {
    receiver = WebhookReceiver.start();
    int apiPort = freePort();
    int serverPort = freePort();
    Path db = dir.resolve("timers.db");
    Path log = dir.resolve("up.log");
    String api = "http://127.0.0.1:" + apiPort;

    process = startUp(apiPort, serverPort, db, log);
    // Three that will be overdue when the system is back, one that will still be pending.
    Map<String, Long> latestDeadlines = new LinkedHashMap<>();
    for (int seconds : new int[] {2, 2, 3, 20}) {
      long before = System.currentTimeMillis();
      String id = post(api, seconds);
      latestDeadlines.put(id, System.currentTimeMillis() + seconds * 1000L);
      assertThat(before).isPositive();
    }
    assertThat(receiver.deliveries()).isEmpty();

    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> ids = List.copyOf(latestDeadlines.keySet());
    // Down past the short timers' deadlines: nothing can fire.
    long overdue = latestDeadlines.get(ids.get(2)) + 500;
    await().during(Duration.ofMillis(Math.max(0, overdue - System.currentTimeMillis()))).atMost(Duration.ofSeconds(10))
        .until(() -> receiver.deliveries().isEmpty());

    process = startUp(apiPort, serverPort, db, log);
    long readyAt = System.currentTimeMillis();
    await().atMost(Duration.ofSeconds(40)).until(() -> ids.stream().allMatch(id -> receiver.successes(id).size() == 1));
    for (String id : ids) {
      long deadline = latestDeadlines.get(id);
      long firedAt = receiver.deliveries(id).get(0).receivedAtMillis();
      if (deadline < readyAt) {
        assertThat(firedAt - readyAt).as("overdue timer %s fired ms after the restart", id).isLessThanOrEqualTo(OVERDUE_TOLERANCE_MILLIS);
      } else {
        assertThat(firedAt - deadline).as("timer %s fired ms after its deadline", id).isLessThanOrEqualTo(ON_TIME_TOLERANCE_MILLIS);
      }
      assertThat(receiver.deliveries(id).get(0).body()).isEmpty();
    }
    // None twice.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> ids.stream().allMatch(id -> receiver.deliveries(id).size() == 1));
    for (String id : ids) {
      JsonNode timer = get(api + "/timers/" + id);
      assertThat(timer.get("status").asText()).isEqualTo("fired");
      assertThat(timer.get("time_left").asLong()).isZero();
    }
  }

  private String post(String api, int seconds) throws Exception {
    String body = JSON.writeValueAsString(Map.of("seconds", seconds, "url", receiver.baseUrl()));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/timers"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("id").asText();
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** {@code hourglass up} in a new JVM on this test's class path; returns once it printed its last readiness line. */
  private static Process startUp(int apiPort, int serverPort, Path db, Path log) throws Exception {
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", testClassPath(),
        Main.class.getName(), "up",
        "--port", Integer.toString(apiPort),
        "--server-port", Integer.toString(serverPort),
        "--management-port", "0",
        "--db-filename", db.toString(),
        "--headless");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = output.readLine()) != null) {
          Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          if (line.startsWith(READY)) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new IllegalStateException("hourglass up exited; output in " + log));
    }, "hourglass-up-output");
    pump.setDaemon(true);
    pump.start();
    try {
      ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("hourglass up did not become ready:\n" + Files.readString(log), e);
    }
    return process;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }
}
