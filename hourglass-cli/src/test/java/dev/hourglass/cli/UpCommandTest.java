package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.timers.Role;
import dev.hourglass.timers.TimerSystemOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code hourglass up}'s flags, their environment fallbacks and defaults, without starting anything. */
class UpCommandTest {
  private static final Path WORKING_DIRECTORY = Path.of("/work/dir");
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicReference<UpOptions> ran = new AtomicReference<>();

  private int execute(Map<String, String> environment, String... args) {
    CommandLine commandLine = Main.commandLine(new CommandFactory(WORKING_DIRECTORY, (options, o, e) -> {
      throw new AssertionError("no server should start");
    }, (options, o, e) -> {
      ran.set(options);
      return 0;
    }, environment));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void defaultsRunEverythingWithAnEmbeddedServer() {
    assertThat(execute(Map.of(), "up")).isZero();

    TimerSystemOptions options = ran.get().system();
    assertThat(options.role()).isEqualTo(Role.ALL);
    assertThat(options.apiPort()).isEqualTo(3000);
    assertThat(options.apiAddress()).isEqualTo("127.0.0.1");
    assertThat(options.temporalAddress()).isEmpty();
    assertThat(options.embeddedServer().port()).isEqualTo(7233);
    assertThat(options.embeddedServer().dbFile()).isEqualTo(WORKING_DIRECTORY.resolve("hourglass.db"));
    assertThat(options.embeddedServer().managementPort()).isEqualTo(9233);
    assertThat(options.namespace()).isEqualTo("default");
    assertThat(options.taskQueue()).isEqualTo("webhook-timers");
    assertThat(ran.get().logLevel()).isEqualTo(LogLevel.INFO);
  }

  @Test
  void flagsSetEverything() {
    assertThat(execute(Map.of(), "up", "--role", "API", "--port", "3100", "--ip", "0.0.0.0", "--temporal-address", "temporal:7233",
        "--namespace", "timers", "--task-queue", "hooks", "--log-level", "warn")).isZero();

    TimerSystemOptions options = ran.get().system();
    assertThat(options.role()).isEqualTo(Role.API);
    assertThat(options.apiPort()).isEqualTo(3100);
    assertThat(options.apiAddress()).isEqualTo("0.0.0.0");
    assertThat(options.temporalAddress()).contains("temporal:7233");
    assertThat(options.namespace()).isEqualTo("timers");
    assertThat(options.taskQueue()).isEqualTo("hooks");
    assertThat(ran.get().logLevel()).isEqualTo(LogLevel.WARN);
  }

  @Test
  void environmentFillsWhatFlagsLeaveOut() {
    Map<String, String> environment = Map.of(UpCommand.ENV_ROLE, "worker", UpCommand.ENV_PORT, "3200",
        UpCommand.ENV_TEMPORAL_ADDRESS, "10.0.0.1:7233", UpCommand.ENV_NAMESPACE, "ns", UpCommand.ENV_TASK_QUEUE, "q");
    assertThat(execute(environment, "up", "--port", "3300")).isZero();

    TimerSystemOptions options = ran.get().system();
    assertThat(options.role()).isEqualTo(Role.WORKER);
    assertThat(options.apiPort()).as("the flag wins").isEqualTo(3300);
    assertThat(options.temporalAddress()).isEqualTo(Optional.of("10.0.0.1:7233"));
    assertThat(options.namespace()).isEqualTo("ns");
    assertThat(options.taskQueue()).isEqualTo("q");
  }

  @Test
  void badValuesAreUsageErrors() {
    assertThat(execute(Map.of(), "up", "--role", "both")).isEqualTo(2);
    assertThat(err.toString()).contains("--role").contains("all, api, worker");
    assertThat(execute(Map.of(), "up", "--port", "70000")).isEqualTo(2);
    assertThat(execute(Map.of(UpCommand.ENV_PORT, "abc"), "up")).isEqualTo(2);
    assertThat(execute(Map.of(), "up", "--temporal-address", "h:1", "--db-filename", "x.db")).isEqualTo(2);
    assertThat(err.toString()).contains("embedded server");
    assertThat(ran.get()).isNull();
  }

  @Test
  void theClientTlsFlagsAreForTheExternalServer() {
    assertThat(execute(Map.of(), "up", "--temporal-address", "temporal.example:7233", "--tls")).isZero();
    assertThat(ran.get().system().temporalTls()).as("TLS with the JVM's trusted roots").isPresent();
    assertThat(ran.get().system().embeddedServer().tls()).isEmpty();

    ran.set(null);
    assertThat(execute(Map.of(), "up", "--temporal-address", "h:1", "--tls-server-name", "temporal.internal")).isZero();
    assertThat(ran.get().system().temporalTls().orElseThrow().authority()).as("a server name implies TLS").contains("temporal.internal");

    ran.set(null);
    assertThat(execute(Map.of(), "up", "--tls-ca-path", "ca.pem")).isEqualTo(2);
    assertThat(err.toString()).contains("--temporal-address").contains("--tls-cert-file");
    assertThat(execute(Map.of(), "up", "--temporal-address", "h:1", "--tls-ca-path", "/no/such/ca.pem")).isEqualTo(2);
    assertThat(err.toString()).contains("/no/such/ca.pem");
    assertThat(execute(Map.of(), "up", "--temporal-address", "h:1", "--tls-cert-file", "server.pem")).isEqualTo(2);
    assertThat(ran.get()).isNull();
  }

  @Test
  void helpNamesTheFlagsAndVariables() {
    assertThat(execute(Map.of(), "up", "--help")).isZero();

    assertThat(out.toString()).contains("Usage: hourglass up").contains("--role").contains("--temporal-address")
        .contains(UpCommand.ENV_TEMPORAL_ADDRESS).contains("/api-docs");
  }
}
