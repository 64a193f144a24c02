package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.server.ServerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Parsing of {@code hourglass server start-dev}: the options the runner receives, and usage errors. */
class StartDevCommandTest {
  private static final Path WORKING_DIRECTORY = Path.of("/home/someone/project");

  private final List<StartDevOptions> started = new ArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void defaultsMatchTemporalStartDev() {
    assertThat(execute("server", "start-dev")).isZero();

    StartDevOptions options = onlyStarted();
    assertThat(options.server()).isEqualTo(new ServerOptions("127.0.0.1", 7233, WORKING_DIRECTORY.resolve("hourglass.db"), List.of(), 16)
        .withManagementPort(9233));
    assertThat(options.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(options.logLevel()).isEqualTo(LogLevel.INFO);
  }

  @Test
  void longFlagsSetEveryOption() {
    execute("server", "start-dev", "--ip", "0.0.0.0", "--port", "7300", "--db-filename", "/var/lib/hourglass/data.db",
        "--namespace", "orders", "--namespace", "billing", "--log-level", "debug", "--shards", "4");

    assertThat(onlyStarted()).isEqualTo(new StartDevOptions(
        new ServerOptions("0.0.0.0", 7300, Path.of("/var/lib/hourglass/data.db"), List.of("orders", "billing"), 4).withManagementPort(9300),
        LogLevel.DEBUG, LogFormat.TEXT, UiSettings.DEFAULT));
  }

  @Test
  void managementPortAndLogFormat() {
    execute("server", "start-dev", "--management-port", "9999", "--log-format", "JSON");
    assertThat(onlyStarted().server().managementPort()).isEqualTo(9999);
    assertThat(onlyStarted().logFormat()).isEqualTo(LogFormat.JSON);
  }

  @Test
  void managementPortMinusOneServesNone() {
    execute("server", "start-dev", "--management-port", "-1");
    assertThat(onlyStarted().server().managementPort()).isEqualTo(ServerOptions.MANAGEMENT_OFF);
  }

  @Test
  void randomGrpcPortMeansRandomManagementPort() {
    execute("server", "start-dev", "--port", "0");
    assertThat(onlyStarted().server().managementPort()).isZero();
  }

  @Test
  void webUiIsOnByDefaultAndFlagsMoveOrDropIt() {
    execute("server", "start-dev");
    execute("server", "start-dev", "--ui-port", "9000");
    execute("server", "start-dev", "--headless");

    assertThat(started).extracting(StartDevOptions::ui).containsExactly(
        UiSettings.DEFAULT, new UiSettings(true, java.util.Optional.of(9000)), UiSettings.HEADLESS);
    assertThat(UiSettings.DEFAULT.options("127.0.0.1", 7233, "127.0.0.1:7233").port()).isEqualTo(8233);
  }

  @Test
  void uiPortOutOfRangeIsUsageError() {
    assertThat(execute("server", "start-dev", "--ui-port", "70000")).isEqualTo(2);
    assertThat(started).isEmpty();
    assertThat(err.toString()).contains("--ui-port must be between 0 and 65535: 70000");
  }

  @Test
  void shortFlagsAndAttachedValues() {
    execute("server", "start-dev", "-p7301", "-f", "x.db", "-n", "orders", "--ip=::1", "--log-level=warn");

    ServerOptions server = onlyStarted().server();
    assertThat(server.port()).isEqualTo(7301);
    assertThat(server.dbFile()).isEqualTo(WORKING_DIRECTORY.resolve("x.db"));
    assertThat(server.namespaces()).containsExactly("orders");
    assertThat(server.ip()).isEqualTo("::1");
    assertThat(onlyStarted().logLevel()).isEqualTo(LogLevel.WARN);
  }

  @Test
  void relativeDbFileResolvesAgainstWorkingDirectory() {
    execute("server", "start-dev", "-f", "../data/./dev.db");

    assertThat(onlyStarted().server().dbFile()).isEqualTo(Path.of("/home/someone/data/dev.db"));
  }

  @Test
  void repeatedAndDefaultNamespacesAreDropped() {
    execute("server", "start-dev", "-n", "orders", "-n", "default", "-n", "orders", "-n", "billing");

    assertThat(onlyStarted().server().namespaces()).containsExactly("orders", "billing");
  }

  @Test
  void logLevelInAnyCase() {
    execute("server", "start-dev", "--log-level", "ERROR");

    assertThat(onlyStarted().logLevel()).isEqualTo(LogLevel.ERROR);
  }

  @Test
  void unknownLogLevelIsUsageErrorListingChoices() {
    assertThat(execute("server", "start-dev", "--log-level", "verbose")).isEqualTo(2);

    assertThat(started).isEmpty();
    assertThat(err.toString())
        .contains("--log-level")
        .contains("debug, info, warn, error")
        .contains("'verbose'")
        .contains("hourglass server start-dev --help");
  }

  @Test
  void portOutOfRangeIsUsageError() {
    assertThat(execute("server", "start-dev", "--port", "65536")).isEqualTo(2);

    assertThat(started).isEmpty();
    assertThat(err.toString()).contains("port must be between 0 and 65535");
  }

  @Test
  void nonNumericPortIsUsageError() {
    assertThat(execute("server", "start-dev", "-p", "http")).isEqualTo(2);

    assertThat(started).isEmpty();
    assertThat(err.toString()).contains("--port").contains("'http'");
  }

  @Test
  void zeroShardsIsUsageError() {
    assertThat(execute("server", "start-dev", "--shards", "0")).isEqualTo(2);

    assertThat(started).isEmpty();
    assertThat(err.toString()).contains("shardCount");
  }

  @Test
  void blankNamespaceIsUsageError() {
    assertThat(execute("server", "start-dev", "-n", " ")).isEqualTo(2);

    assertThat(started).isEmpty();
    assertThat(err.toString()).contains("--namespace must not be blank");
  }

  @Test
  void unknownFlagIsUsageError() {
    assertThat(execute("server", "start-dev", "--no-such-flag")).isEqualTo(2);

    assertThat(started).isEmpty();
    assertThat(err.toString()).contains("Unknown option: '--no-such-flag'");
  }

  @Test
  void runnerExitCodeIsTheProcessExitCode() {
    CommandLine commandLine = Main.commandLine(new CommandFactory(WORKING_DIRECTORY, (options, out, err) -> 1));

    assertThat(commandLine.execute("server", "start-dev")).isEqualTo(1);
  }

  @Test
  void helpListsFlagsButNotShards() {
    assertThat(execute("server", "start-dev", "--help")).isZero();

    assertThat(started).isEmpty();
    assertThat(out.toString())
        .contains("Usage: hourglass server start-dev")
        .contains("--ip=ADDRESS", "-p, --port=PORT", "-f, --db-filename=FILE", "-n, --namespace=NAME", "--log-level=LEVEL")
        .contains("default: 127.0.0.1", "default: 7233", "default: info")
        .doesNotContain("--shards");
  }

  private int execute(String... args) {
    CommandLine commandLine = Main.commandLine(new CommandFactory(WORKING_DIRECTORY, (options, out, err) -> {
      started.add(options);
      return 0;
    }));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private StartDevOptions onlyStarted() {
    assertThat(started).as("started, stderr: %s", err).hasSize(1);
    return started.get(0);
  }
}
