package dev.hourglass.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code hourglass.yaml}, read by {@code hourglass server start --config}: the same settings as
 * the flags, for operators who keep configuration in files. Every field is optional; flags and
 * environment variables win over the file.
 *
 * <pre>
 * server:
 *   ip: 0.0.0.0
 *   port: 7233
 *   namespaces: [orders]
 *   managementPort: 9233
 *   advertiseAddress: hourglass-1.internal:7233
 *   tls:
 *     certFile: /etc/hourglass/server.pem
 *     keyFile: /etc/hourglass/server-key.pem
 *     clientCaFile: /etc/hourglass/ca.pem
 * database:
 *   url: postgresql://hourglass@127.0.0.1:5432/hourglass
 *   user: hourglass
 *   password: secret
 * logLevel: info
 * logFormat: json
 * </pre>
 */
record ServerConfigFile(Server server, DatabaseSection database, String logLevel, String logFormat) {
  record Server(String ip, Integer port, List<String> namespaces, Integer shards, Integer managementPort, String advertiseAddress,
      Tls tls) {
    Tls tlsOrNone() {
      return tls == null ? Tls.NONE : tls;
    }
  }

  /** {@code server.tls}: the files of the gRPC port's TLS, as the {@code --tls-*} flags. */
  record Tls(String certFile, String keyFile, String clientCaFile, String caFile, String serverName) {
    static final Tls NONE = new Tls(null, null, null, null, null);
  }

  record DatabaseSection(String url, String user, String password) {}

  static final ServerConfigFile EMPTY = new ServerConfigFile(null, null, null, null);

  Server serverOrEmpty() {
    return server == null ? new Server(null, null, null, null, null, null, null) : server;
  }

  DatabaseSection databaseOrEmpty() {
    return database == null ? new DatabaseSection(null, null, null) : database;
  }

  /**
   * Reads the file; an unknown key (a typo) is an error, not silently ignored.
   *
   * @throws IllegalArgumentException with a one-line reason when the file is missing or invalid
   */
  static ServerConfigFile read(Path file) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try {
      ServerConfigFile config = yaml.readValue(Files.readString(file), ServerConfigFile.class);
      return config == null ? EMPTY : config;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file " + file + " does not exist");
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException("config file " + file + " is invalid: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException e) {
      throw new IllegalArgumentException("config file " + file + " cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
