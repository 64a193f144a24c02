package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import dev.hourglass.server.ServerOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hourglass server start-dev}: one server on an embedded SQLite file, flags named as in
 * {@code temporal server start-dev}. Runs until SIGTERM or Ctrl-C.
 */
@Command(
    name = "start-dev",
    description = {
        "Start a development server on an embedded SQLite file.",
        "The data file survives restarts. Stop the server with Ctrl-C or SIGTERM."},
    sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:Stopped cleanly.",
        "1:Could not start (port in use, data file locked) or failed while running.",
        "2:Invalid command line."})
final class StartDevCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--ip", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  private String ip = ServerOptions.defaults().ip();

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "gRPC port for SDKs and workers (default: ${DEFAULT-VALUE}).")
  private int port = ServerOptions.DEFAULT_PORT;

  @Option(names = {"-f", "--db-filename"}, paramLabel = "FILE",
      description = "SQLite file holding all data, created when missing; relative to the working directory (default: ${DEFAULT-VALUE}).")
  private Path dbFilename = ServerOptions.defaults().dbFile();

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAME",
      description = "Namespace to create besides 'default' (which always exists). Repeatable.")
  private List<String> namespaces = new ArrayList<>();

  @Option(names = "--log-level", paramLabel = "LEVEL", converter = LogLevel.Converter.class, completionCandidates = LogLevel.Candidates.class,
      description = "Least severe log level printed: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private LogLevel logLevel = LogLevel.INFO;

  @Mixin
  private UiFlags uiFlags = new UiFlags();

  @Mixin
  private OperationsFlags operations = new OperationsFlags();

  @Mixin
  private ServerTlsFlags tls = new ServerTlsFlags();

  // Hidden: the shard count is fixed for the life of a database, and the default suits one
  // process; it is here for benchmarks, not for day-to-day use.
  @Option(names = "--shards", hidden = true, paramLabel = "COUNT", description = "Number of history shards (default: ${DEFAULT-VALUE}).")
  private int shards = ServerOptions.DEFAULT_SHARD_COUNT;

  private final Path workingDirectory;
  private final Map<String, String> environment;
  private final ServerRunner runner;

  StartDevCommand(Path workingDirectory, Map<String, String> environment, ServerRunner runner) {
    this.workingDirectory = requireNonNull(workingDirectory, "workingDirectory is null");
    this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    this.runner = requireNonNull(runner, "runner is null");
  }

  @Override
  public Integer call() throws InterruptedException {
    return runner.run(options(), spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /**
   * The parsed flags as options. A value the server would refuse (blank namespace, port out of
   * range) is a usage error here, exit code 2, rather than a stack trace from the server.
   */
  StartDevOptions options() {
    List<String> extraNamespaces = new ArrayList<>();
    // LinkedHashSet: `-n a -n a` is harmless, keep the order the user gave.
    for (String namespace : new LinkedHashSet<>(namespaces)) {
      if (namespace.isBlank()) {
        throw new ParameterException(spec.commandLine(), "--namespace must not be blank");
      }
      if (!namespace.equals(ServerOptions.DEFAULT_NAMESPACE)) {
        extraNamespaces.add(namespace);
      }
    }
    Path dbFile = workingDirectory.resolve(dbFilename).toAbsolutePath().normalize();
    ServerOptions server;
    UiSettings ui;
    try {
      server = new ServerOptions(ip, port, dbFile, extraNamespaces, shards)
          .withManagementPort(operations.managementPort() != null ? operations.managementPort() : ServerOptions.defaultManagementPort(port));
      server = tls.applyTo(server, environment, ServerConfigFile.Tls.NONE, workingDirectory);
      ui = uiFlags.settings();
    } catch (IllegalArgumentException e) {
      // ServerOptions owns the limits (port range, shard count); report them as a usage error.
      throw new ParameterException(spec.commandLine(), "Invalid option: " + e.getMessage(), e);
    }
    try {
      return new StartDevOptions(server, logLevel, LogFormat.resolve(operations.logFormat(), environment), ui);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid option: " + e.getMessage(), e);
    }
  }
}
