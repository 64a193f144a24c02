package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.cli.CliHarness.CliResult;
import dev.hourglass.server.testing.TestingHourglassServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every client command shares: where the address and namespace come from, and how errors
 * reach the user — an unreachable server, an RPC the server does not implement, TLS files that
 * cannot be used.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientErrorsTest {
  @TempDir
  static Path directory;

  private TestingHourglassServer server;

  @BeforeAll
  void startServer() {
    server = new TestingHourglassServer(directory.resolve("server"), List.of("staging"));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void unreachableServerExits1NamingTheAddress() throws Exception {
    String address = "127.0.0.1:" + freePort();

    CliResult result = new CliHarness(Map.of()).run("workflow", "describe", "-w", "x", "--address", address);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith("Error: UNAVAILABLE: ").contains("(is a server running at " + address + "?)").hasLineCount(1);
  }

  @Test
  void temporalEnvironmentVariablesAreHonoured() {
    CliHarness cli = new CliHarness(Map.of("TEMPORAL_ADDRESS", server.target(), "TEMPORAL_NAMESPACE", "staging"));

    CliResult result = cli.run("operator", "namespace", "describe");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).containsPattern("Name\\s+staging");
  }

  @Test
  void hourglassVariablesWinOverTemporalOnesAndFlagsOverBoth() {
    CliHarness cli = new CliHarness(Map.of("HOURGLASS_ADDRESS", server.target(), "TEMPORAL_ADDRESS", "127.0.0.1:1",
        "HOURGLASS_NAMESPACE", "staging", "TEMPORAL_NAMESPACE", "nowhere"));

    assertThat(cli.run("operator", "namespace", "describe").out()).containsPattern("Name\\s+staging");
    assertThat(cli.run("operator", "namespace", "describe", "-n", "default").out()).containsPattern("Name\\s+default");
  }

  @Test
  void listCountAndSearchAttributesAnswer() {
    CliHarness cli = CliHarness.forServer(server.target());
    // Listing, counting and search attributes exist since visibility.
    assertThat(cli.run("workflow", "list").exitCode()).isZero();
    assertThat(cli.run("workflow", "count", "-q", "ExecutionStatus = 'Running'").exitCode()).isZero();
    CliResult attributes = cli.run("operator", "search-attribute", "list");
    assertThat(attributes.exitCode()).as(attributes.toString()).isZero();
    assertThat(attributes.out()).contains("CustomKeywordField");
  }

  @Test
  void resetAndUpdateOfAnUnknownWorkflowAreNotFound() {
    CliHarness cli = CliHarness.forServer(server.target());
    List<List<String>> commands = List.of(
        List.of("workflow", "reset", "-w", "x", "--event-id", "3", "--reason", "test"),
        List.of("workflow", "update", "execute", "-w", "x", "--name", "u"));
    for (List<String> command : commands) {
      CliResult result = cli.run(command.toArray(String[]::new));
      assertThat(result.exitCode()).as(command + "\n" + result).isEqualTo(1);
      assertThat(result.err()).as(command.toString()).startsWith("Error: NOT_FOUND: ").hasLineCount(1);
    }
  }

  @Test
  void tlsAgainstAPlainServerFails() {
    CliResult result = CliHarness.forServer(server.target()).run("operator", "namespace", "list", "--tls", "--command-timeout", "10s");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("Error: UNAVAILABLE: ").hasLineCount(1);
  }

  @Test
  void unreadableTlsFilesAreUsageErrors() throws Exception {
    CliHarness cli = CliHarness.forServer(server.target());

    CliResult missing = cli.run("operator", "namespace", "list", "--tls-ca-path", directory.resolve("missing.pem").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("--tls-ca-path " + directory.resolve("missing.pem") + " does not exist");

    Path garbage = Files.writeString(directory.resolve("garbage.pem"), "not a certificate");
    CliResult bad = cli.run("operator", "namespace", "list", "--tls-ca-path", garbage.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--tls-ca-path " + garbage + " is not a PEM certificate file");

    CliResult keyless = cli.run("operator", "namespace", "list", "--tls-cert-path", garbage.toString());
    assertThat(keyless.exitCode()).isEqualTo(2);
    assertThat(keyless.err()).contains("--tls-cert-path needs a private key too: a client certificate and its key go together");
  }

  @Test
  void badOutputFormatAndDurationAreUsageErrors() {
    CliHarness cli = CliHarness.forServer(server.target());

    CliResult format = cli.run("operator", "namespace", "list", "-o", "yaml");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err()).contains("expected one of table, json but was 'yaml'");

    CliResult duration = cli.run("operator", "namespace", "list", "--command-timeout", "soon");
    assertThat(duration.exitCode()).isEqualTo(2);
    assertThat(duration.err()).contains("'soon' is not a duration");
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
