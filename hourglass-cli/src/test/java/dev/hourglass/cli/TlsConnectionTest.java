package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hourglass.cli.CliHarness.CliResult;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.StreamObserver;
import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.ListNamespacesRequest;
import io.temporal.api.workflowservice.v1.ListNamespacesResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands over TLS, mutual TLS included, against a TLS gRPC endpoint started here:
 * the Hourglass server itself listens in plain text (see docs/cli.md), so the endpoint is a
 * WorkflowService answering GetSystemInfo and ListNamespaces behind a server certificate, and
 * requiring a client certificate. Certificates are made by the JDK's keytool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsConnectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "changeit";

  @TempDir
  static Path directory;

  private Server server;
  private Pem serverPem;
  private Pem clientPem;

  /** A certificate and its PKCS#8 key, as PEM files. */
  private record Pem(Path certificate, Path key) {}

  /** Answers what {@code operator namespace list} asks. */
  private static final class NamespacesOnly extends WorkflowServiceGrpc.WorkflowServiceImplBase {
    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> observer) {
      observer.onNext(GetSystemInfoResponse.getDefaultInstance());
      observer.onCompleted();
    }

    @Override
    public void listNamespaces(ListNamespacesRequest request, StreamObserver<ListNamespacesResponse> observer) {
      observer.onNext(ListNamespacesResponse.newBuilder()
          .addNamespaces(DescribeNamespaceResponse.newBuilder().setNamespaceInfo(NamespaceInfo.newBuilder().setName("behind-tls")))
          .build());
      observer.onCompleted();
    }
  }

  @BeforeAll
  void startTlsEndpoint() throws Exception {
    serverPem = selfSigned("server", "CN=hourglass.test", "dns:hourglass.test");
    clientPem = selfSigned("client", "CN=cli", "dns:cli");
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(GrpcSslContexts.forServer(serverPem.certificate().toFile(), serverPem.key().toFile())
            .trustManager(clientPem.certificate().toFile())
            .clientAuth(ClientAuth.REQUIRE)
            .build())
        .addService(new NamespacesOnly())
        .build()
        .start();
  }

  @AfterAll
  void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(10, TimeUnit.SECONDS);
  }

  private CliHarness cli() {
    return CliHarness.forServer("127.0.0.1:" + server.getPort());
  }

  @Test
  void mutualTlsWithTheServersCaAndName() throws Exception {
    CliResult result = cli().run("operator", "namespace", "list", "-o", "json", "--command-timeout", "30s",
        "--tls-ca-path", serverPem.certificate().toString(), "--tls-server-name", "hourglass.test",
        "--tls-cert-path", clientPem.certificate().toString(), "--tls-key-path", clientPem.key().toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(JSON.readTree(result.out()).get(0).at("/namespaceInfo/name").asText()).isEqualTo("behind-tls");
  }

  @Test
  void aServerNameTheCertificateDoesNotNameIsRefused() {
    CliResult result = cli().run("operator", "namespace", "list", "--command-timeout", "30s",
        "--tls-ca-path", serverPem.certificate().toString(), "--tls-server-name", "elsewhere.test",
        "--tls-cert-path", clientPem.certificate().toString(), "--tls-key-path", clientPem.key().toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).startsWith("Error: UNAVAILABLE: ").hasLineCount(1);
  }

  @Test
  void withoutAClientCertificateTheServerRefuses() {
    CliResult result = cli().run("operator", "namespace", "list", "--command-timeout", "30s",
        "--tls-ca-path", serverPem.certificate().toString(), "--tls-server-name", "hourglass.test");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).startsWith("Error: UNAVAILABLE: ").hasLineCount(1);
  }

  /** A self-signed EC certificate made by keytool, written out as PEM certificate and PKCS#8 key. */
  private Pem selfSigned(String name, String subject, String subjectAlternativeName) throws Exception {
    Path store = directory.resolve(name + ".p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname",
        "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", subject, "-ext", "SAN=" + subjectAlternativeName, "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(store.toFile())) {
      keys.load(in, PASSWORD.toCharArray());
    }
    Path certificate = Files.writeString(directory.resolve(name + ".pem"),
        pem("CERTIFICATE", keys.getCertificate(name).getEncoded()));
    Path key = Files.writeString(directory.resolve(name + ".key"),
        pem("PRIVATE KEY", keys.getKey(name, PASSWORD.toCharArray()).getEncoded()));
    return new Pem(certificate, key);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
