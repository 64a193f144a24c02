package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.server.tls.ClientTls;
import dev.hourglass.server.tls.PemFile;
import dev.hourglass.server.tls.TlsContexts;
import dev.hourglass.server.tls.TlsOptions;
import dev.hourglass.tests.support.TestCertificates;
import dev.hourglass.timers.TimerSystem;
import dev.hourglass.timers.TimerSystemOptions;
import dev.hourglass.timers.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hourglass up} with its embedded server under mutual TLS: the timer service's API and
 * worker connect to that server as its own clients (its certificate, its CA), so a timer still
 * fires its webhook. And {@code up --temporal-address} with the client TLS flags: the timer service
 * reaches an external server that requires client certificates.
 */
@Timeout(120)
class TimersTlsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path directory;
  private WebhookReceiver receiver;
  private TimerSystem system;
  private HourglassServer external;

  @AfterEach
  void stop() {
    if (system != null) {
      system.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (external != null) {
      external.close();
    }
  }

  @Test
  void aTimerFiresWhenTheEmbeddedServerRequiresClientCertificates() throws Exception {
    TestCertificates certificates = TestCertificates.create(directory);
    receiver = WebhookReceiver.start();
    system = TimerSystem.start(TimerSystemOptions.defaults()
        .withApiPort(0)
        .withEmbeddedServer(ServerOptions.defaults().withPort(0).withDbFile(directory.resolve("hourglass.db"))
            .withTls(TlsOptions.mutual(certificates.serverCertificate(), certificates.serverKey(), certificates.caCertificate()))));

    assertATimerFires();
  }

  @Test
  void upWithAnExternalServerReachesItOverMutualTls() throws Exception {
    TestCertificates certificates = TestCertificates.create(directory);
    receiver = WebhookReceiver.start();
    external = HourglassServer.start(ServerOptions.defaults().withPort(0).withManagementPort(0).withDbFile(directory.resolve("external.db"))
        .withTls(TlsOptions.mutual(certificates.serverCertificate(), certificates.serverKey(), certificates.caCertificate())));
    // What `up --temporal-address … --tls-ca-path ca.pem --tls-cert-path client.pem --tls-key-path client-key.pem` builds.
    ClientTls tls = new ClientTls(TlsContexts.client(Optional.of(new PemFile("--tls-ca-path", certificates.caCertificate())),
        Optional.of(new PemFile("--tls-cert-path", certificates.clientCertificate())),
        Optional.of(new PemFile("--tls-key-path", certificates.clientKey()))), Optional.empty());
    system = TimerSystem.start(TimerSystemOptions.defaults().withApiPort(0)
        .withTemporalAddress(Optional.of(external.target())).withTemporalTls(Optional.of(tls)));

    assertATimerFires();
  }

  private void assertATimerFires() throws Exception {
    HttpResponse<String> created = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(system.apiUrl().orElseThrow() + "/timers"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"seconds\": 0, \"url\": \"" + receiver.baseUrl() + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    String id = JSON.readTree(created.body()).get("id").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> !receiver.deliveries(id).isEmpty());
  }
}
