package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import dev.hourglass.cli.client.ClientTlsFlags;
import dev.hourglass.cli.client.InvalidSettingsException;
import dev.hourglass.cli.client.TlsSettings;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.timers.Role;
import dev.hourglass.timers.TimerSystemOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hourglass up}: the whole webhook timer system in one process — an Hourglass server on
 * an embedded SQLite file, the timers' REST API and their worker. With {@code --temporal-address}
 * it uses that server instead of starting one; {@code --role} runs only the API or only the
 * worker, so each can be scaled on its own. Flags fall back to environment variables, then to
 * the defaults. Runs until SIGTERM or Ctrl-C.
 */
@Command(
    name = "up",
    description = {
        "Start the webhook timer service: an Hourglass server on an embedded SQLite file, the REST API",
        "(POST/GET/DELETE /timers, Swagger UI at /api-docs) and its worker, in one process.",
        "Stop it with Ctrl-C or SIGTERM; timers survive restarts."},
    sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:Stopped cleanly.",
        "1:Could not start (a port in use, data file locked) or failed while running.",
        "2:Invalid command line."},
    footerHeading = "%nEnvironment:%n",
    footer = {
        "  " + UpCommand.ENV_ROLE + "       --role",
        "  " + UpCommand.ENV_PORT + "       --port",
        "  " + UpCommand.ENV_TEMPORAL_ADDRESS + "           --temporal-address",
        "  " + UpCommand.ENV_NAMESPACE + "         --namespace",
        "  " + UpCommand.ENV_TASK_QUEUE + " --task-queue",
        "  " + LogFormat.ENV + "        --log-format",
        "A flag given on the command line wins over its variable."})
final class UpCommand implements Callable<Integer> {
  static final String ENV_ROLE = "HOURGLASS_TIMERS_ROLE";
  static final String ENV_PORT = "HOURGLASS_TIMERS_PORT";
  static final String ENV_TEMPORAL_ADDRESS = "TEMPORAL_ADDRESS";
  static final String ENV_NAMESPACE = "TEMPORAL_NAMESPACE";
  static final String ENV_TASK_QUEUE = "HOURGLASS_TIMERS_TASK_QUEUE";

  @Spec
  private CommandSpec spec;

  @Option(names = "--role", paramLabel = "ROLE",
      description = "What this process runs: all (API and worker), api or worker (default: all).")
  private String role;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port of the timers' REST API (default: 3000).")
  private Integer port;

  @Option(names = "--ip", paramLabel = "ADDRESS",
      description = "Address the REST API and the embedded server bind to (default: ${DEFAULT-VALUE}).")
  private String ip = "127.0.0.1";

  @Option(names = "--temporal-address", paramLabel = "HOST:PORT",
      description = "Use this Hourglass or Temporal server instead of starting an embedded one.")
  private String temporalAddress;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAME", description = "Namespace of the timers (default: default).")
  private String namespace;

  @Option(names = "--task-queue", paramLabel = "NAME", description = "Task queue of the timers (default: webhook-timers).")
  private String taskQueue;

  @Option(names = "--server-port", paramLabel = "PORT",
      description = "gRPC port of the embedded server (default: ${DEFAULT-VALUE}).")
  private int serverPort = ServerOptions.DEFAULT_PORT;

  @Option(names = {"-f", "--db-filename"}, paramLabel = "FILE",
      description = "SQLite file of the embedded server, created when missing; relative to the working directory (default: ${DEFAULT-VALUE}).")
  private Path dbFilename = ServerOptions.defaults().dbFile();

  @Mixin
  private OperationsFlags operations = new OperationsFlags();

  // TLS of the embedded server's port; the web UI and the timer worker connect to it with the same files.
  @Mixin
  private ServerTlsFlags tls = new ServerTlsFlags();

  // TLS towards the server of --temporal-address (its --tls-server-name is the one above).
  @Mixin
  private ClientTlsFlags externalTlsFlags = new ClientTlsFlags();

  @Option(names = "--log-level", paramLabel = "LEVEL", converter = LogLevel.Converter.class, completionCandidates = LogLevel.Candidates.class,
      description = "Least severe log level printed: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private LogLevel logLevel = LogLevel.INFO;

  @Mixin
  private UiFlags uiFlags = new UiFlags();

  private final Path workingDirectory;
  private final Map<String, String> environment;
  private final UpRunner runner;

  UpCommand(Path workingDirectory, Map<String, String> environment, UpRunner runner) {
    this.workingDirectory = requireNonNull(workingDirectory, "workingDirectory is null");
    this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    this.runner = requireNonNull(runner, "runner is null");
  }

  @Override
  public Integer call() throws InterruptedException {
    return runner.run(options(), spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** The flags, their environment fallbacks and the defaults, resolved; a bad value is a usage error (exit 2). */
  UpOptions options() {
    TimerSystemOptions defaults = TimerSystemOptions.defaults();
    Role resolvedRole;
    try {
      resolvedRole = Role.parse(flagOrEnv(role, ENV_ROLE).orElse(defaults.role().toString()));
    } catch (IllegalArgumentException e) {
      throw usage("Invalid --role (or " + ENV_ROLE + "): " + e.getMessage());
    }
    int apiPort = port != null ? port : flagOrEnv(null, ENV_PORT).map(value -> parsePort(value, ENV_PORT)).orElse(defaults.apiPort());
    Optional<String> external = flagOrEnv(temporalAddress, ENV_TEMPORAL_ADDRESS);
    if (external.isPresent() && (matched("--server-port") || matched("--db-filename") || matched("--management-port")
        || matched("--tls-cert-file") || matched("--tls-key-file") || matched("--tls-client-ca-file") || matched("--tls-ca-file"))) {
      throw usage("--server-port, --db-filename, --management-port and --tls-*-file configure the embedded server; they cannot be used "
          + "with --temporal-address (whose TLS is --tls, --tls-ca-path, --tls-cert-path, --tls-key-path and --tls-server-name)");
    }
    Optional<TlsSettings> externalTls = externalTlsFlags.settings(external.isPresent() ? tls.serverNameFlag() : Optional.empty());
    if (external.isEmpty() && externalTls.isPresent()) {
      throw usage("--tls, --tls-ca-path, --tls-cert-path and --tls-key-path are for the server of --temporal-address; the embedded "
          + "server's TLS is --tls-cert-file, --tls-key-file and --tls-client-ca-file");
    }
    Path dbFile = workingDirectory.resolve(dbFilename).toAbsolutePath().normalize();
    try {
      ServerOptions plainServer = ServerOptions.defaults().withIp(ip).withPort(serverPort).withDbFile(dbFile)
          .withManagementPort(operations.managementPort() != null ? operations.managementPort() : ServerOptions.defaultManagementPort(serverPort));
      ServerOptions server = external.isPresent() ? plainServer
          : tls.applyTo(plainServer, environment, ServerConfigFile.Tls.NONE, workingDirectory);
      TimerSystemOptions system = defaults
          .withRole(resolvedRole)
          .withApiAddress(ip)
          .withApiPort(apiPort)
          .withTemporalAddress(external)
          .withTemporalTls(externalTls.map(TlsSettings::clientTls))
          .withEmbeddedServer(server)
          .withNamespace(flagOrEnv(namespace, ENV_NAMESPACE).orElse(defaults.namespace()))
          .withTaskQueue(flagOrEnv(taskQueue, ENV_TASK_QUEUE).orElse(defaults.taskQueue()));
      return new UpOptions(system, logLevel, LogFormat.resolve(operations.logFormat(), environment), uiFlags.settings());
    } catch (IllegalArgumentException | InvalidSettingsException e) {
      throw new ParameterException(spec.commandLine(), "Invalid option: " + e.getMessage(), e);
    }
  }

  private Optional<String> flagOrEnv(String flag, String variable) {
    if (flag != null) {
      return Optional.of(flag);
    }
    return Optional.ofNullable(environment.get(variable)).map(String::trim).filter(value -> !value.isEmpty());
  }

  private int parsePort(String value, String variable) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw usage(variable + " must be a port number: '" + value + "'");
    }
  }

  private boolean matched(String option) {
    return spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
