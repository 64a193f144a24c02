package dev.hourglass.cli;

import static dev.hourglass.cli.Fallbacks.first;
import static java.util.Objects.requireNonNull;

import dev.hourglass.server.ServerOptions;
import dev.hourglass.store.StoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 * {@code hourglass server start}: the production server, on a PostgreSQL database. Each setting
 * comes from its flag, else its environment variable, else the {@code --config} file, else the
 * default. Runs until SIGTERM or Ctrl-C.
 */
@Command(
    name = "start",
    description = {
        "Start a server on a PostgreSQL database (the production store).",
        "Each setting is taken from its flag, else its environment variable, else the --config file.",
        "Stop the server with Ctrl-C or SIGTERM."},
    sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:Stopped cleanly.",
        "1:Could not start (database unreachable, wrong credentials, schema newer than this binary, port in use) or failed while running.",
        "2:Invalid command line or config file."})
final class StartCommand implements Callable<Integer> {
  static final String ENV_DB_URL = "HOURGLASS_DB_URL";
  static final String ENV_DB_USER = "HOURGLASS_DB_USER";
  static final String ENV_DB_PASSWORD = "HOURGLASS_DB_PASSWORD";
  static final String ENV_CONFIG = "HOURGLASS_CONFIG";
  static final String ENV_ADVERTISE_ADDRESS = "HOURGLASS_ADVERTISE_ADDRESS";

  @Spec
  private CommandSpec spec;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML file with the settings below (env: " + ENV_CONFIG + ").")
  private Path configFile;

  @Option(names = "--db-url", paramLabel = "URL",
      description = "PostgreSQL database: postgresql://USER@HOST:PORT/DATABASE or jdbc:postgresql://HOST:PORT/DATABASE (env: "
          + ENV_DB_URL + ").")
  private String dbUrl;

  @Option(names = "--db-user", paramLabel = "USER", description = "Database user, if not in the URL (env: " + ENV_DB_USER + ").")
  private String dbUser;

  @Option(names = "--db-password", paramLabel = "PASSWORD",
      description = "Database password (env: " + ENV_DB_PASSWORD + ", preferred: flags show in the process list).")
  private String dbPassword;

  @Option(names = "--ip", paramLabel = "ADDRESS", description = "Address to listen on (default: 127.0.0.1).")
  private String ip;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "gRPC port for SDKs and workers (default: 7233).")
  private Integer port;

  @Option(names = "--advertise-address", paramLabel = "HOST:PORT",
      description = "Where other server processes on the same database reach this one to forward requests (env: "
          + ENV_ADVERTISE_ADDRESS + "; default: --ip and --port, or this host's name when --ip is 0.0.0.0).")
  private String advertiseAddress;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAME",
      description = "Namespace to create besides 'default' (which always exists). Repeatable.")
  private List<String> namespaces;

  @Option(names = "--log-level", paramLabel = "LEVEL", converter = LogLevel.Converter.class, completionCandidates = LogLevel.Candidates.class,
      description = "Least severe log level printed: ${COMPLETION-CANDIDATES} (default: info).")
  private LogLevel logLevel;

  @Mixin
  private UiFlags uiFlags = new UiFlags();

  @Mixin
  private OperationsFlags operations = new OperationsFlags();

  @Mixin
  private ServerTlsFlags tls = new ServerTlsFlags();

  // Hidden, as in start-dev: fixed for the life of a database; for benchmarks.
  @Option(names = "--shards", hidden = true, paramLabel = "COUNT", description = "Number of history shards (default: 16).")
  private Integer shards;

  private final Path workingDirectory;
  private final Map<String, String> environment;
  private final ServerRunner runner;

  StartCommand(Path workingDirectory, Map<String, String> environment, ServerRunner runner) {
    this.workingDirectory = requireNonNull(workingDirectory, "workingDirectory is null");
    this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    this.runner = requireNonNull(runner, "runner is null");
  }

  @Override
  public Integer call() throws InterruptedException {
    return runner.run(options(), spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Flags, environment, config file and defaults, resolved; anything unusable is a usage error (exit 2). */
  StartDevOptions options() {
    ServerConfigFile file = configFile();
    ServerConfigFile.Server fileServer = file.serverOrEmpty();
    ServerConfigFile.DatabaseSection fileDatabase = file.databaseOrEmpty();
    String url = first(Optional.ofNullable(dbUrl), env(ENV_DB_URL), Optional.ofNullable(fileDatabase.url()))
        .orElseThrow(() -> usage("no database: give --db-url, " + ENV_DB_URL + " or database.url in the --config file "
            + "(for a SQLite development server, use 'hourglass server start-dev')"));
    StoreConfig.Postgres store;
    try {
      store = StoreConfig.Postgres.fromUrl(url,
          first(Optional.ofNullable(dbUser), env(ENV_DB_USER), Optional.ofNullable(fileDatabase.user())),
          first(Optional.ofNullable(dbPassword), env(ENV_DB_PASSWORD), Optional.ofNullable(fileDatabase.password())));
    } catch (IllegalArgumentException e) {
      throw usage("Invalid database settings: " + e.getMessage());
    }
    ServerOptions defaults = ServerOptions.defaults();
    try {
      int grpcPort = first(Optional.ofNullable(port), Optional.ofNullable(fileServer.port())).orElse(defaults.port());
      ServerOptions server = new ServerOptions(
          first(Optional.ofNullable(ip), Optional.ofNullable(fileServer.ip())).orElse(defaults.ip()),
          grpcPort,
          store,
          extraNamespaces(first(Optional.ofNullable(namespaces), Optional.ofNullable(fileServer.namespaces())).orElse(List.of())),
          first(Optional.ofNullable(shards), Optional.ofNullable(fileServer.shards())).orElse(defaults.shardCount()),
          first(Optional.ofNullable(operations.managementPort()), Optional.ofNullable(fileServer.managementPort()))
              .orElse(ServerOptions.defaultManagementPort(grpcPort)),
          first(Optional.ofNullable(advertiseAddress), env(ENV_ADVERTISE_ADDRESS), Optional.ofNullable(fileServer.advertiseAddress()))
              .orElse(""));
      ServerOptions withTls = tls.applyTo(server, environment, fileServer.tlsOrNone(), workingDirectory);
      return new StartDevOptions(withTls, logLevel(file), logFormat(file), uiFlags.settings());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid option: " + e.getMessage(), e);
    }
  }

  private ServerConfigFile configFile() {
    Optional<Path> path = first(Optional.ofNullable(configFile), env(ENV_CONFIG).map(Path::of));
    if (path.isEmpty()) {
      return ServerConfigFile.EMPTY;
    }
    try {
      return ServerConfigFile.read(workingDirectory.resolve(path.get()).normalize());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private LogLevel logLevel(ServerConfigFile file) {
    if (logLevel != null) {
      return logLevel;
    }
    if (file.logLevel() == null) {
      return LogLevel.INFO;
    }
    try {
      return new LogLevel.Converter().convert(file.logLevel());
    } catch (RuntimeException e) {
      throw usage("Invalid logLevel in the config file: " + e.getMessage());
    }
  }

  private LogFormat logFormat(ServerConfigFile file) {
    try {
      if (operations.logFormat() == null && env(LogFormat.ENV).isEmpty() && file.logFormat() != null) {
        return new LogFormat.Converter().convert(file.logFormat());
      }
      return LogFormat.resolve(operations.logFormat(), environment);
    } catch (RuntimeException e) {
      throw usage("Invalid log format (" + LogFormat.ENV + " or logFormat in the config file): " + e.getMessage());
    }
  }

  private List<String> extraNamespaces(List<String> requested) {
    List<String> extra = new ArrayList<>();
    for (String namespace : new LinkedHashSet<>(requested)) {
      if (namespace == null || namespace.isBlank()) {
        throw usage("--namespace must not be blank");
      }
      if (!namespace.equals(ServerOptions.DEFAULT_NAMESPACE)) {
        extra.add(namespace);
      }
    }
    return extra;
  }

  private Optional<String> env(String variable) {
    return Optional.ofNullable(environment.get(variable)).map(String::trim).filter(value -> !value.isEmpty());
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
