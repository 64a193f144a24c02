package dev.hourglass.timers;

import static java.util.Objects.requireNonNull;

import dev.hourglass.server.ServerOptions;
import dev.hourglass.server.tls.ClientTls;
import java.time.Duration;
import java.util.Optional;

/**
 * How to start the timer system in one JVM.
 *
 * @param role the REST API, the worker, or both
 * @param apiAddress address the REST API binds to
 * @param apiPort the REST API's port; 0 picks a free one
 * @param temporalAddress host:port of an external Hourglass or Temporal server; empty to start
 *     an embedded Hourglass server with {@code embeddedServer}
 * @param embeddedServer the embedded server's options (ignored with an external server)
 * @param namespace the namespace timers live in
 * @param taskQueue the task queue of timer workflows and webhook calls
 * @param queryTimeout how long a GET waits for a worker's answer before answering from the server's record
 * @param temporalTls how to reach the external server over TLS (ignored with the embedded server,
 *     which is reached as its own clients reach it); empty for plain text
 */
public record TimerSystemOptions(
    Role role,
    String apiAddress,
    int apiPort,
    Optional<String> temporalAddress,
    ServerOptions embeddedServer,
    String namespace,
    String taskQueue,
    Duration queryTimeout,
    Optional<ClientTls> temporalTls) {
  public static final int DEFAULT_API_PORT = 3000;

  public TimerSystemOptions {
    requireNonNull(role, "role is null");
    requireNonNull(apiAddress, "apiAddress is null");
    requireNonNull(temporalAddress, "temporalAddress is null");
    requireNonNull(embeddedServer, "embeddedServer is null");
    requireNonNull(namespace, "namespace is null");
    requireNonNull(taskQueue, "taskQueue is null");
    requireNonNull(queryTimeout, "queryTimeout is null");
    requireNonNull(temporalTls, "temporalTls is null");
    if (apiPort < 0 || apiPort > 65535) {
      throw new IllegalArgumentException("apiPort must be between 0 and 65535: " + apiPort);
    }
    if (temporalAddress.isPresent() && temporalAddress.get().isBlank()) {
      throw new IllegalArgumentException("temporalAddress must not be blank");
    }
    if (namespace.isBlank() || taskQueue.isBlank()) {
      throw new IllegalArgumentException("namespace and taskQueue must not be blank");
    }
  }

  /** Everything in one JVM on the defaults: embedded server on 127.0.0.1:7233 (./hourglass.db), API on 127.0.0.1:3000. */
  public static TimerSystemOptions defaults() {
    return new TimerSystemOptions(Role.ALL, "127.0.0.1", DEFAULT_API_PORT, Optional.empty(), ServerOptions.defaults(),
        ServerOptions.DEFAULT_NAMESPACE, TimerServiceProperties.DEFAULT_TASK_QUEUE, Duration.ofSeconds(3), Optional.empty());
  }

  public TimerSystemOptions withRole(Role role) {
    return new TimerSystemOptions(role, apiAddress, apiPort, temporalAddress, embeddedServer, namespace, taskQueue, queryTimeout, temporalTls);
  }

  public TimerSystemOptions withApiAddress(String apiAddress) {
    return new TimerSystemOptions(role, apiAddress, apiPort, temporalAddress, embeddedServer, namespace, taskQueue, queryTimeout, temporalTls);
  }

  public TimerSystemOptions withApiPort(int apiPort) {
    return new TimerSystemOptions(role, apiAddress, apiPort, temporalAddress, embeddedServer, namespace, taskQueue, queryTimeout, temporalTls);
  }

  public TimerSystemOptions withTemporalAddress(Optional<String> temporalAddress) {
    return new TimerSystemOptions(role, apiAddress, apiPort, temporalAddress, embeddedServer, namespace, taskQueue, queryTimeout, temporalTls);
  }

  public TimerSystemOptions withEmbeddedServer(ServerOptions embeddedServer) {
    return new TimerSystemOptions(role, apiAddress, apiPort, temporalAddress, embeddedServer, namespace, taskQueue, queryTimeout, temporalTls);
  }

  public TimerSystemOptions withNamespace(String namespace) {
    return new TimerSystemOptions(role, apiAddress, apiPort, temporalAddress, embeddedServer, namespace, taskQueue, queryTimeout, temporalTls);
  }

  public TimerSystemOptions withTaskQueue(String taskQueue) {
    return new TimerSystemOptions(role, apiAddress, apiPort, temporalAddress, embeddedServer, namespace, taskQueue, queryTimeout, temporalTls);
  }

  public TimerSystemOptions withQueryTimeout(Duration queryTimeout) {
    return new TimerSystemOptions(role, apiAddress, apiPort, temporalAddress, embeddedServer, namespace, taskQueue, queryTimeout, temporalTls);
  }

  public TimerSystemOptions withTemporalTls(Optional<ClientTls> temporalTls) {
    return new TimerSystemOptions(role, apiAddress, apiPort, temporalAddress, embeddedServer, namespace, taskQueue, queryTimeout, temporalTls);
  }
}
