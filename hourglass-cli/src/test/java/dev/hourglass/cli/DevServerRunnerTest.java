package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hourglass.server.ServerOptions;
import dev.hourglass.server.tls.TlsOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against a real server on a real file: what it prints, that the shutdown hook stops
 * it cleanly, and that start failures are one line on stderr and exit code 1.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DevServerRunnerTest {
  /** The runner sets the level of the test JVM's logging; keep lifecycle lines out of the report. */
  private static final LogLevel QUIET = LogLevel.WARN;
  private static final Pattern WEB_UI = Pattern.compile("Web UI: (http://127\\.0\\.0\\.1:\\d+)");
  private static final Pattern LISTENING = Pattern.compile("Hourglass server listening on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir
  Path directory;

  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  @Test
  void printsWhereItListensAndStopsOnShutdownHook() throws Exception {
    Path dbFile = directory.resolve("dev.db");
    RunningCommand running = start(new ServerOptions("127.0.0.1", 0, dbFile, List.of("orders"), 4));

    Thread hook = running.shutdownHook.get(1, TimeUnit.MINUTES);
    // Even if the hook closes the server before the banner is printed, the runner prints it and
    // returns: the whole banner is there once the exit code is.
    hook.start();
    hook.join();

    assertThat(running.exitCode.get(1, TimeUnit.MINUTES)).isZero();
    String printed = running.out.toString();
    assertThat(printed).contains("Data: " + dbFile.toAbsolutePath());
    Matcher listening = LISTENING.matcher(printed);
    assertThat(listening.find()).as(printed).isTrue();
    assertThat(Integer.parseInt(listening.group(1))).isPositive();
  }

  @Test
  void acceptsConnectionsUntilStopped() throws Exception {
    RunningCommand running = start(new ServerOptions("127.0.0.1", 0, directory.resolve("dev.db"), List.of(), 4));
    Thread hook = running.shutdownHook.get(1, TimeUnit.MINUTES);
    int port = awaitPort(running);

    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      assertThat(socket.isConnected()).isTrue();
    }

    hook.start();
    hook.join();
    assertThat(running.exitCode.get(1, TimeUnit.MINUTES)).isZero();
  }

  @Test
  void secondServerOnSameFileFailsWithExitCodeOne() throws Exception {
    Path dbFile = directory.resolve("shared.db");
    RunningCommand first = start(new ServerOptions("127.0.0.1", 0, dbFile, List.of(), 4));
    Thread firstHook = first.shutdownHook.get(1, TimeUnit.MINUTES);

    String err = failedStart(new StartDevOptions(new ServerOptions("127.0.0.1", 0, dbFile, List.of(), 4), QUIET));

    assertThat(err).startsWith("Cannot start").contains(dbFile.getFileName().toString()).doesNotContain("\tat ");

    firstHook.start();
    firstHook.join();
    assertThat(first.exitCode.get(1, TimeUnit.MINUTES)).isZero();
  }

  @Test
  void portInUseFailsWithExitCodeOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String err = failedStart(new StartDevOptions(
          new ServerOptions("127.0.0.1", taken.getLocalPort(), directory.resolve("dev.db"), List.of(), 4), QUIET));

      assertThat(err).startsWith("Cannot start").contains(String.valueOf(taken.getLocalPort())).doesNotContain("\tat ");
    }
  }

  @Test
  void anUnreadableTlsFileFailsWithOneLineNamingIt() throws Exception {
    Path certificate = Files.writeString(directory.resolve("server.pem"), "not a certificate");
    Path key = directory.resolve("missing-key.pem");
    ServerOptions server = new ServerOptions("127.0.0.1", 0, directory.resolve("dev.db"), List.of(), 4);

    assertThat(failedStart(new StartDevOptions(server.withTls(TlsOptions.serverOnly(certificate, key)), QUIET)))
        .isEqualTo("Cannot start: TLS certificate file " + certificate + " is not a PEM certificate file (No certificate data found)" + System.lineSeparator());
    Files.delete(certificate);
    assertThat(failedStart(new StartDevOptions(server.withTls(TlsOptions.serverOnly(certificate, key)), QUIET)))
        .isEqualTo("Cannot start: TLS certificate file " + certificate + " does not exist" + System.lineSeparator());
  }

  @Test
  void servesTheWebUiAndPrintsItsAddress() throws Exception {
    RunningCommand running = start(new StartDevOptions(new ServerOptions("127.0.0.1", 0, directory.resolve("dev.db"), List.of(), 4), QUIET, LogFormat.TEXT,
        new UiSettings(true, java.util.Optional.of(0))));
    Thread hook = running.shutdownHook.get(1, TimeUnit.MINUTES);
    Matcher ui = await().atMost(Duration.ofMinutes(1))
        .until(() -> WEB_UI.matcher(running.out.toString()), Matcher::find);

    java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newBuilder()
        .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build()
        .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ui.group(1))).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<h1>Workflows</h1>");

    hook.start();
    hook.join();
    assertThat(running.exitCode.get(1, TimeUnit.MINUTES)).isZero();
  }

  @Test
  void webUiPortInUseFailsWithExitCodeOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String err = failedStart(new StartDevOptions(new ServerOptions("127.0.0.1", 0, directory.resolve("dev.db"), List.of(), 4), QUIET, LogFormat.TEXT,
          new UiSettings(true, java.util.Optional.of(taken.getLocalPort()))));

      assertThat(err).startsWith("Cannot start the web UI").contains(String.valueOf(taken.getLocalPort()))
          .doesNotContain("\tat ");
    }
  }

  /** Runs a start that must fail: exit code 1, no shutdown hook; returns what it printed on stderr. */
  private static String failedStart(StartDevOptions options) throws InterruptedException {
    StringWriter err = new StringWriter();
    int exitCode = new DevServerRunner(hook -> {
      throw new AssertionError("a server that failed to start registers no hook");
    }).run(options, new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(exitCode).isEqualTo(DevServerRunner.EXIT_FAILURE);
    return err.toString();
  }

  private RunningCommand start(ServerOptions options) {
    return start(new StartDevOptions(options, QUIET));
  }

  private RunningCommand start(StartDevOptions options) {
    CompletableFuture<Thread> shutdownHook = new CompletableFuture<>();
    StringWriter out = new StringWriter();
    DevServerRunner runner = new DevServerRunner(shutdownHook::complete);
    Future<Integer> exitCode = executor.submit(() -> runner.run(options, new PrintWriter(out), new PrintWriter(new StringWriter())));
    return new RunningCommand(shutdownHook, exitCode, out);
  }

  /** The banner follows the hook by a few statements; read the port once it is there. */
  private static int awaitPort(RunningCommand running) {
    Matcher listening = await().atMost(Duration.ofMinutes(1))
        .until(() -> LISTENING.matcher(running.out.toString()), Matcher::find);
    return Integer.parseInt(listening.group(1));
  }

  private record RunningCommand(CompletableFuture<Thread> shutdownHook, Future<Integer> exitCode, StringWriter out) {}
}
