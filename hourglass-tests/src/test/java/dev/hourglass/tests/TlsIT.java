package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.server.ServerStartException;
import dev.hourglass.server.testing.TestingStore;
import dev.hourglass.server.tls.ClientTls;
import dev.hourglass.server.tls.TlsOptions;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.StepWorkflows;
import dev.hourglass.tests.support.StepWorkflows.CountingActivities;
import dev.hourglass.tests.support.StepWorkflows.StepsWorkflow;
import dev.hourglass.tests.support.StepWorkflows.StepsWorkflowImpl;
import dev.hourglass.tests.support.TestCertificates;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import dev.hourglass.ui.HourglassUi;
import dev.hourglass.ui.UiOptions;
import io.temporal.client.WorkflowOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC port over TLS and mutual TLS, with the Temporal SDK connected as an application would
 * (SimpleSslContextBuilder, a CA it trusts, a client certificate under mTLS); certificates made
 * for the test run; the web UI reads the server over mTLS as its own client. Under mTLS, a client in plain text and one without a certificate are refused.
 */
@Timeout(120)
class TlsIT {
  private static final String TASK_QUEUE = "tls";

  @TempDir Path directory;
  private TestCertificates certificates;
  private TestingStore store;
  private HourglassServer server;
  private HourglassUi ui;
  private final List<SdkEnvironment> clients = new ArrayList<>();

  @BeforeEach
  void makeCertificates() {
    certificates = TestCertificates.create(directory);
  }

  @AfterEach
  void stop() {
    if (ui != null) {
      ui.close();
    }
    clients.forEach(SdkEnvironment::close);
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aWorkflowWithAnActivityRunsOverTlsAndTheWebUiShowsIt() throws Exception {
    start(TlsOptions.serverOnly(certificates.serverCertificate(), certificates.serverKey()));
    runWorkflow(connect(certificates.sdkContextWithoutCertificate()), "over-tls");
    // No CA given to the server: its web UI trusts the very certificate the server presents.
    assertWebUiLists("over-tls");
  }

  @Test
  void aWorkflowWithAnActivityRunsOverMutualTlsAndTheWebUiShowsIt() throws Exception {
    start(TlsOptions.mutual(certificates.serverCertificate(), certificates.serverKey(), certificates.caCertificate()));
    runWorkflow(connect(certificates.sdkContextWithClientCertificate()), "over-mtls");

    // The web UI beside the server connects as the server's own client, with its certificate.
    assertWebUiLists("over-mtls");
  }

  @Test
  void underMutualTlsAClientInPlainTextAndAClientWithoutCertificateAreRefused() {
    start(TlsOptions.mutual(certificates.serverCertificate(), certificates.serverKey(), certificates.caCertificate()));
    SdkEnvironment plainText = SdkEnvironment.connect(server.target());
    clients.add(plainText);
    assertRefused(plainText);
    assertRefused(connect(certificates.sdkContextWithoutCertificate()));
  }

  @Test
  void aBadMissingOrMismatchedTlsFileFailsTheStartNamingIt() throws Exception {
    Path notAKey = Files.writeString(directory.resolve("not-a-key.pem"), "hello");
    assertThatThrownBy(() -> start(TlsOptions.serverOnly(certificates.serverCertificate(), notAKey)))
        .isInstanceOf(ServerStartException.class)
        .hasMessageStartingWith("Cannot start: TLS key file " + notAKey + " is not a PKCS#8 PEM private key");
    assertThatThrownBy(() -> start(TlsOptions.serverOnly(certificates.serverCertificate(), certificates.clientKey())))
        .isInstanceOf(ServerStartException.class)
        .hasMessage("Cannot start: TLS key file " + certificates.clientKey() + " is not the private key of TLS certificate file "
            + certificates.serverCertificate());
    Path missing = directory.resolve("missing.pem");
    assertThatThrownBy(() -> start(TlsOptions.serverOnly(certificates.serverCertificate(), missing)))
        .isInstanceOf(ServerStartException.class)
        .hasMessage("Cannot start: TLS key file " + missing + " does not exist");
    assertThatThrownBy(() -> start(TlsOptions.mutual(certificates.serverCertificate(), certificates.serverKey(), missing)))
        .isInstanceOf(ServerStartException.class)
        .hasMessage("Cannot start: TLS client CA file " + missing + " does not exist");
  }

  private void start(TlsOptions tls) {
    if (store == null) {
      store = TestingStore.create(directory.resolve("store"));
    }
    server = HourglassServer.start(ServerOptions.defaults().withPort(0).withStore(store.config()).withTls(tls));
  }

  private SdkEnvironment connect(io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext) {
    SdkEnvironment client = SdkEnvironment.connect(server.target(), sslContext);
    clients.add(client);
    return client;
  }

  private static void runWorkflow(SdkEnvironment sdk, String workflowId) {
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(StepsWorkflowImpl.class);
      worker.registerActivitiesImplementations(new CountingActivities());
    });
    StepsWorkflow workflow = sdk.client().newWorkflowStub(StepsWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
    assertThat(workflow.run(1)).isEqualTo(StepWorkflows.expectedResult(workflowId, 1));
  }

  private void assertWebUiLists(String workflowId) throws Exception {
    ClientTls uiTls = server.clientTls().orElseThrow();
    ui = HourglassUi.start(new UiOptions("127.0.0.1", 0, server.target(), Optional.of(uiTls.sslContext()), uiTls.authority()));
    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(ui.url() + "/namespaces/default/workflows")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains(workflowId);
  }

  private static void assertRefused(SdkEnvironment client) {
    assertThatThrownBy(() -> client.service().blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            refused -> assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
