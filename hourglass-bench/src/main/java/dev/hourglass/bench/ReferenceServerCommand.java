package dev.hourglass.bench;

import io.temporal.testserver.TestServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench reference-server}: the Java SDK's in-memory test server on a port, in this JVM,
 * until SIGTERM. It is the reference Hourglass is compared with: the same API, no persistence.
 *
 * <p>Time skipping stays off ({@code createPortBoundServer(port, true)} locks it, as the test
 * server's own {@code main} does without {@code --enable-time-skipping}): timers run on the wall
 * clock, or the timer benchmark would measure nothing. The test server listens on every
 * interface, which is its choice, not ours; the benchmark client only dials loopback.
 */
@Command(
    name = "reference-server",
    description = "Run the Temporal Java SDK's in-memory test server (time skipping off) until stopped.")
final class ReferenceServerCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--port", required = true, paramLabel = "PORT", description = "Port to listen on.")
  private int port;

  @Option(names = "--max-lifetime", paramLabel = "SECONDS", defaultValue = "21600",
      description = "Stop by itself after this long, in case whoever started it died without stopping it (default: ${DEFAULT-VALUE}).")
  private long maxLifetimeSeconds;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 1 || port > 65_535 || maxLifetimeSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "--port must be in 1..65535 and --max-lifetime positive");
    }
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "reference-server-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("reference server (temporal-test-server, time skipping off) listening on port %d%n", port);
    out.flush();
    if (!stopped.await(maxLifetimeSeconds, TimeUnit.SECONDS)) {
      out.printf("reference server: max lifetime %s reached, stopping%n", Duration.ofSeconds(maxLifetimeSeconds));
      out.flush();
    }
    return 0; // System.exit runs the shutdown hook, which closes the server
  }
}
