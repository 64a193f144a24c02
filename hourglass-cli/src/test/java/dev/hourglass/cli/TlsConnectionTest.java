package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hourglass.cli.CliHarness.CliResult;
import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.server.tls.TlsOptions;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands over mutual TLS against an Hourglass server whose port requires a client
 * certificate ({@code --tls-client-ca-file}). Certificates are made by the JDK's keytool: the
 * client's self-signed certificate is the server's client CA.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsConnectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "changeit";

  @TempDir
  static Path directory;

  private HourglassServer server;
  private Pem serverPem;
  private Pem clientPem;

  /** A certificate and its PKCS#8 key, as PEM files. */
  private record Pem(Path certificate, Path key) {}

  @BeforeAll
  void startTlsEndpoint() throws Exception {
    serverPem = selfSigned("server", "CN=hourglass.test", "dns:hourglass.test");
    clientPem = selfSigned("client", "CN=cli", "dns:cli");
    server = HourglassServer.start(ServerOptions.defaults().withPort(0).withDbFile(directory.resolve("hourglass.db"))
        .withNamespaces(List.of("behind-tls"))
        .withTls(new TlsOptions(serverPem.certificate(), serverPem.key(), Optional.of(clientPem.certificate()), Optional.empty(),
            Optional.empty())));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private CliHarness cli() {
    return CliHarness.forServer(server.target());
  }

  @Test
  void mutualTlsWithTheServersCaAndName() throws Exception {
    CliResult result = cli().run("operator", "namespace", "list", "-o", "json", "--command-timeout", "30s",
        "--tls-ca-path", serverPem.certificate().toString(), "--tls-server-name", "hourglass.test",
        "--tls-cert-path", clientPem.certificate().toString(), "--tls-key-path", clientPem.key().toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(JSON.readTree(result.out()).findValuesAsText("name")).contains("default", "behind-tls");
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
