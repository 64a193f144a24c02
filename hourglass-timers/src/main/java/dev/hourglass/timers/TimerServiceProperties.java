package dev.hourglass.timers;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The timer service's settings, {@code hourglass.timers.*} (environment:
 * {@code HOURGLASS_TIMERS_TEMPORAL_ADDRESS} and so on, by Spring's relaxed binding). The REST
 * API's port and address are Spring's own {@code server.port} and {@code server.address}.
 *
 * @param role what this process runs
 * @param temporalAddress host:port of the Hourglass (or Temporal) frontend
 * @param namespace the namespace timers live in
 * @param taskQueue the task queue the worker polls and the API starts workflows on
 * @param queryTimeout how long {@code GET /timers/{id}} waits for a worker to answer its query
 *     before it answers from the server's record instead (no worker running)
 */
@ConfigurationProperties("hourglass.timers")
public record TimerServiceProperties(
    @DefaultValue("all") Role role,
    @DefaultValue("127.0.0.1:7233") String temporalAddress,
    @DefaultValue("default") String namespace,
    @DefaultValue(DEFAULT_TASK_QUEUE) String taskQueue,
    @DefaultValue("3s") Duration queryTimeout) {
  public static final String DEFAULT_TASK_QUEUE = "webhook-timers";

  public TimerServiceProperties {
    requireNonNull(role, "role is null");
    requireNonNull(temporalAddress, "temporalAddress is null");
    requireNonNull(namespace, "namespace is null");
    requireNonNull(taskQueue, "taskQueue is null");
    requireNonNull(queryTimeout, "queryTimeout is null");
    if (temporalAddress.isBlank() || namespace.isBlank() || taskQueue.isBlank()) {
      throw new IllegalArgumentException("temporalAddress, namespace and taskQueue must not be blank");
    }
  }
}
