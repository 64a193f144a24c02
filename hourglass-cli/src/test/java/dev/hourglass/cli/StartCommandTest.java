package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.server.ServerOptions;
import dev.hourglass.server.tls.TlsOptions;
import dev.hourglass.store.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Parsing of {@code hourglass server start}: flags, then environment, then the config file, then defaults. */
class StartCommandTest {
  @TempDir
  Path directory;

  private final List<StartDevOptions> started = new ArrayList<>();
  private final StringWriter err = new StringWriter();

  @Test
  void flagsSelectPostgresqlWithTheUserFromTheUrl() {
    assertThat(execute(Map.of(), "server", "start", "--db-url", "postgresql://hourglass@db.internal:5433/hg", "--port", "7300")).isZero();

    StartDevOptions options = started.get(0);
    assertThat(options.server()).isEqualTo(new ServerOptions("127.0.0.1", 7300,
        new StoreConfig.Postgres("jdbc:postgresql://db.internal:5433/hg", "hourglass", ""), List.of(), 16).withManagementPort(9300));
  }

  @Test
  void environmentVariablesStandInForFlags() {
    execute(Map.of("HOURGLASS_DB_URL", "jdbc:postgresql://127.0.0.1:5432/hg", "HOURGLASS_DB_USER", "app", "HOURGLASS_DB_PASSWORD", "pw"),
        "server", "start");

    assertThat(started.get(0).server().store()).isEqualTo(new StoreConfig.Postgres("jdbc:postgresql://127.0.0.1:5432/hg", "app", "pw"));
  }

  @Test
  void configFileFillsWhatFlagsAndEnvironmentLeaveOpen() throws IOException {
    Path config = Files.writeString(directory.resolve("hourglass.yaml"), """
        server:
          ip: 0.0.0.0
          port: 7400
          namespaces: [orders]
        database:
          url: postgresql://127.0.0.1:5432/hg
          user: from-file
          password: file-secret
        logLevel: warn
        """);

    execute(Map.of("HOURGLASS_DB_USER", "from-env"), "server", "start", "--config", config.toString(), "--port", "7500");

    StartDevOptions options = started.get(0);
    assertThat(options.server()).isEqualTo(new ServerOptions("0.0.0.0", 7500,
        new StoreConfig.Postgres("jdbc:postgresql://127.0.0.1:5432/hg", "from-env", "file-secret"), List.of("orders"), 16)
        .withManagementPort(9500));
    assertThat(options.logLevel()).isEqualTo(LogLevel.WARN);
  }

  @Test
  void theAdvertisedAddressComesFromTheFlagElseTheEnvironmentElseTheFile() throws IOException {
    Path config = Files.writeString(directory.resolve("cluster.yaml"), """
        server:
          advertiseAddress: from-file:7233
        database:
          url: postgresql://hourglass@127.0.0.1:5432/hg
        """);

    execute(Map.of(), "server", "start", "--config", config.toString());
    execute(Map.of("HOURGLASS_ADVERTISE_ADDRESS", "from-env:7233"), "server", "start", "--config", config.toString());
    execute(Map.of("HOURGLASS_ADVERTISE_ADDRESS", "from-env:7233"), "server", "start", "--config", config.toString(),
        "--advertise-address", "from-flag:7233");

    assertThat(started).as(err.toString()).extracting(options -> options.server().advertiseAddress())
        .containsExactly("from-file:7233", "from-env:7233", "from-flag:7233");
    assertThat(execute(Map.of(), "server", "start", "--db-url", "postgresql://hourglass@127.0.0.1/hg", "--advertise-address", "no-port"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("advertise address must be HOST:PORT: no-port");
  }

  @Test
  void managementPortAndLogFormatFromFileAndEnvironment() throws IOException {
    Path config = Files.writeString(directory.resolve("ops.yaml"), """
        server:
          managementPort: 9100
        database:
          url: postgresql://app@127.0.0.1:5432/hg
        logFormat: json
        """);
    execute(Map.of(), "server", "start", "--config", config.toString());
    assertThat(started.get(0).server().managementPort()).isEqualTo(9100);
    assertThat(started.get(0).logFormat()).isEqualTo(LogFormat.JSON);

    execute(Map.of("HOURGLASS_LOG_FORMAT", "text"), "server", "start", "--config", config.toString(), "--management-port", "-1");
    assertThat(started.get(1).server().managementPort()).isEqualTo(ServerOptions.MANAGEMENT_OFF);
    assertThat(started.get(1).logFormat()).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void anUnknownLogFormatInTheEnvironmentIsAUsageError() {
    assertThat(execute(Map.of("HOURGLASS_DB_URL", "postgresql://app@127.0.0.1:5432/hg", "HOURGLASS_LOG_FORMAT", "xml"),
        "server", "start")).isEqualTo(2);
    assertThat(err.toString()).contains("HOURGLASS_LOG_FORMAT").contains("xml");
  }

  @Test
  void aTypoInTheConfigFileIsAUsageErrorNamingIt() throws IOException {
    Path config = Files.writeString(directory.resolve("hourglass.yaml"), "database:\n  ulr: postgresql://127.0.0.1/hg\n");

    assertThat(execute(Map.of(), "server", "start", "--config", config.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("is invalid").contains("ulr");
    assertThat(started).isEmpty();
  }

  @Test
  void withoutADatabaseTheUsageErrorPointsToStartDev() {
    assertThat(execute(Map.of(), "server", "start")).isEqualTo(2);
    assertThat(err.toString()).contains("no database: give --db-url").contains("start-dev");
  }

  @Test
  void aUrlOfAnotherDatabaseIsAUsageError() {
    assertThat(execute(Map.of(), "server", "start", "--db-url", "mysql://root@127.0.0.1/hg")).isEqualTo(2);
    assertThat(err.toString()).contains("must start with postgresql://");
  }

  @Test
  void tlsFilesComeFromTheFlagElseTheEnvironmentElseTheFileRelativeToTheWorkingDirectory() throws IOException {
    Path config = Files.writeString(directory.resolve("tls.yaml"), """
        server:
          tls:
            certFile: file-cert.pem
            keyFile: /etc/hourglass/file-key.pem
            clientCaFile: file-ca.pem
            serverName: hourglass.internal
        database:
          url: postgresql://hourglass@127.0.0.1:5432/hg
        """);

    execute(Map.of("HOURGLASS_TLS_CERT_FILE", "env-cert.pem"), "server", "start", "--config", config.toString(),
        "--tls-key-file", "/keys/flag-key.pem", "--tls-ca-file", "peers-ca.pem");

    assertThat(started.get(0).server().tls()).contains(new TlsOptions(directory.resolve("env-cert.pem"), Path.of("/keys/flag-key.pem"),
        Optional.of(directory.resolve("file-ca.pem")), Optional.of(directory.resolve("peers-ca.pem")), Optional.of("hourglass.internal")));
  }

  @Test
  void withoutTlsFlagsThePortIsPlainText() {
    execute(Map.of(), "server", "start", "--db-url", "postgresql://hourglass@127.0.0.1:5432/hg");

    assertThat(started.get(0).server().tls()).isEmpty();
  }

  @Test
  void aCertificateWithoutItsKeyIsAUsageError() {
    assertThat(execute(Map.of(), "server", "start", "--db-url", "postgresql://hourglass@127.0.0.1:5432/hg",
        "--tls-cert-file", "server.pem")).isEqualTo(2);
    assertThat(err.toString()).contains("--tls-cert-file and --tls-key-file go together");
    assertThat(execute(Map.of(), "server", "start-dev", "--tls-client-ca-file", "ca.pem")).isEqualTo(2);
    assertThat(err.toString()).contains("need --tls-cert-file and --tls-key-file");
  }

  private int execute(Map<String, String> environment, String... args) {
    CommandFactory factory = new CommandFactory(directory, (options, out, error) -> {
      started.add(options);
      return 0;
    }, (options, out, error) -> 0, environment);
    CommandLine commandLine = Main.commandLine(factory);
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    return commandLine.execute(args);
  }
}
