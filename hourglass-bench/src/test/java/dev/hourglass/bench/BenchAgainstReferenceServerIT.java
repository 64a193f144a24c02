package dev.hourglass.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Runs each benchmark, small, against the SDK's test server in this JVM: the bench end to end. */
class BenchAgainstReferenceServerIT {
  private static TestServer.PortBoundTestServer server;
  private static String address;

  @BeforeAll
  static void startServer() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    server = TestServer.createPortBoundServer(port, true);
    address = "127.0.0.1:" + port;
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void workflowsRunsEveryWorkflowAndReportsThroughput() throws Exception {
    Run run = bench("workflows", "--address", address, "--target", "reference", "--kind", "activity",
        "--count", "20", "--concurrency", "5", "--warmup", "5", "--timeout", "120",
        "--server-pid", String.valueOf(ProcessHandle.current().pid())); // the test server runs in this JVM

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.json().get("completed").asInt()).isEqualTo(20);
    assertThat(run.json().get("throughput").asDouble()).isPositive();
    assertThat(run.json().get("p50_ms").asDouble()).isPositive();
    assertThat(run.json().get("server_cpu_ms_per_workflow").asDouble()).isPositive();
  }

  @Test
  void timersReadsFireLagFromHistories() throws Exception {
    Run run = bench("timers", "--address", address, "--target", "reference",
        "--count", "10", "--sleep", "1", "--start-rate", "50", "--timeout", "120");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.json().get("completed").asInt()).isEqualTo(10);
    assertThat(run.json().get("peak_pending").asInt()).isEqualTo(10);
    assertThat(run.json().get("fire_lag_max_ms").asDouble()).isLessThan(1_000);
  }

  @Test
  void pingAnswersForTheReferenceServer() {
    assertThat(bench("ping", "--address", address, "--timeout", "10").exitCode()).isZero();
  }

  @Test
  void nonLoopbackAddressIsAUsageError() {
    assertThat(bench("workflows", "--address", "192.0.2.1:7233", "--count", "1").exitCode()).isEqualTo(2);
  }

  private record Run(int exitCode, String output) {
    JsonNode json() throws IOException {
      String line = output.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError(output));
      return new JsonLine().mapper().readTree(line);
    }
  }

  private static Run bench(String... args) {
    StringWriter out = new StringWriter();
    CommandLine commandLine = Bench.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(out, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString());
  }
}
