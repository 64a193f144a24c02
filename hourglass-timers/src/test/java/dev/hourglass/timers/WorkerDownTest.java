package dev.hourglass.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.timers.support.TimerApiClient;
import dev.hourglass.timers.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API and the worker as separate parts on one server, the way they are scaled apart: while
 * the worker is down the API still answers, timers that come due wait, and when a worker is back
 * they fire at once — each exactly once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerDownTest {
  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private WebhookReceiver receiver;
  private TimerSystem api;
  private TimerSystem worker;

  @AfterEach
  void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {worker, api, server, receiver}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private TimerSystem start(Role role) {
    return TimerSystem.start(TimerSystemOptions.defaults()
        .withRole(role)
        .withApiPort(0)
        .withTemporalAddress(Optional.of(server.target()))
        .withQueryTimeout(Duration.ofSeconds(1)));
  }

  @Test
  void overdueTimersFireAtOnceWhenAWorkerComesBack() {
    server = new TestingHourglassServer(dataDir);
    receiver = WebhookReceiver.start();
    api = start(Role.API);
    worker = start(Role.WORKER);
    assertThat(api.apiUrl()).isPresent();
    assertThat(worker.apiUrl()).as("a worker serves no HTTP").isEmpty();
    TimerApiClient client = new TimerApiClient(api.apiUrl().orElseThrow());

    // Warm up, and a timer whose workflow started (its timer is on the server) before the worker goes.
    String warmUp = client.create(0, 0, 0, receiver.baseUrl()).id();
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.successes(warmUp).size() == 1);
    String startedBefore = client.create(0, 0, 3, receiver.baseUrl()).id();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.timer(startedBefore).json().get("status").asText().equals("scheduled"));

    worker.close();
    worker = null;
    // One created while no worker runs: its workflow has not even begun.
    String createdWhileDown = client.create(0, 0, 1, receiver.baseUrl()).id();
    long bothDue = System.currentTimeMillis() + 3500;

    // Nothing fires while the worker is away, though both come due.
    await().during(Duration.ofMillis(bothDue - System.currentTimeMillis())).atMost(Duration.ofSeconds(10))
        .until(() -> receiver.deliveries(startedBefore).isEmpty() && receiver.deliveries(createdWhileDown).isEmpty());
    // The API still answers, from the server's record: scheduled, nothing left to wait.
    for (String id : List.of(startedBefore, createdWhileDown)) {
      JsonNode view = client.timer(id).json();
      assertThat(view.get("status").asText()).isEqualTo("scheduled");
      assertThat(view.get("time_left").asLong()).isZero();
    }

    long workerBack = System.currentTimeMillis();
    worker = start(Role.WORKER);
    long workerStarted = System.currentTimeMillis();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> receiver.successes(startedBefore).size() == 1 && receiver.successes(createdWhileDown).size() == 1);
    for (String id : List.of(startedBefore, createdWhileDown)) {
      long firedAt = receiver.deliveries(id).get(0).receivedAtMillis();
      assertThat(firedAt).isGreaterThanOrEqualTo(workerBack);
      assertThat(firedAt - workerStarted).as("ms after the worker started").isLessThan(2000);
    }
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> receiver.deliveries(startedBefore).size() == 1 && receiver.deliveries(createdWhileDown).size() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> client.timer(createdWhileDown).json().get("status").asText().equals("fired"));
  }
}
