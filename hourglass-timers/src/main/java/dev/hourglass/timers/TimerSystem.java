package dev.hourglass.timers;

import static java.util.Objects.requireNonNull;

import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.tls.ClientTls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole timer system in one JVM: an embedded Hourglass server (unless an external one is
 * given), then the timer service — REST API, worker, or both. {@code hourglass up} is this with
 * options from the command line; tests start it the same way.
 *
 * <p>Lifecycle: server → Spring context (worker starts, then the web server). {@link #close()}
 * runs it backwards: the web server stops taking requests, the worker finishes or abandons its
 * tasks, the connection closes, then the embedded server commits and releases its file.
 */
public final class TimerSystem implements AutoCloseable {
  private final TimerSystemOptions options;
  private final HourglassServer server;
  private final ConfigurableApplicationContext context;
  private final String temporalAddress;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private TimerSystem(TimerSystemOptions options, HourglassServer server, ConfigurableApplicationContext context, String temporalAddress) {
    this.options = options;
    this.server = server;
    this.context = context;
    this.temporalAddress = temporalAddress;
  }

  /**
   * Starts the system; returns once the API accepts requests and the worker polls.
   *
   * @throws dev.hourglass.server.ServerStartException when the embedded server cannot start
   */
  public static TimerSystem start(TimerSystemOptions options) {
    requireNonNull(options, "options is null");
    HourglassServer server = null;
    String temporalAddress;
    if (options.temporalAddress().isPresent()) {
      temporalAddress = options.temporalAddress().get();
    } else {
      var serverOptions = options.embeddedServer();
      if (!options.namespace().equals(dev.hourglass.server.ServerOptions.DEFAULT_NAMESPACE)
          && !serverOptions.namespaces().contains(options.namespace())) {
        List<String> namespaces = new ArrayList<>(serverOptions.namespaces());
        namespaces.add(options.namespace());
        serverOptions = serverOptions.withNamespaces(namespaces);
      }
      server = HourglassServer.start(serverOptions);
      temporalAddress = server.target();
    }
    // An external server is reached with the TLS given for it; the embedded server's port may
    // serve TLS too, and then the worker and the API connect as its own clients do.
    Optional<ClientTls> serverTls = server == null ? options.temporalTls() : server.clientTls();
    try {
      ConfigurableApplicationContext context = new SpringApplicationBuilder(TimerServiceApplication.class)
          .web(options.role().runsApi() ? WebApplicationType.SERVLET : WebApplicationType.NONE)
          .bannerMode(Banner.Mode.OFF)
          .logStartupInfo(false)
          .registerShutdownHook(false)
          .properties(springProperties(options, temporalAddress))
          .initializers(spring -> serverTls.ifPresent(tls -> spring.getBeanFactory().registerSingleton("serverTls", tls)))
          .run();
      return new TimerSystem(options, server, context, temporalAddress);
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      throw e;
    }
  }

  /** Spring's settings for the service; {@code hourglass.timers.*} are {@link TimerServiceProperties}. */
  static Map<String, Object> springProperties(TimerSystemOptions options, String temporalAddress) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("hourglass.timers.role", options.role().name());
    properties.put("hourglass.timers.temporal-address", temporalAddress);
    properties.put("hourglass.timers.namespace", options.namespace());
    properties.put("hourglass.timers.task-queue", options.taskQueue());
    properties.put("hourglass.timers.query-timeout", options.queryTimeout().toMillis() + "ms");
    properties.put("server.address", options.apiAddress());
    properties.put("server.port", Integer.toString(options.apiPort()));
    // The original served Swagger UI at /api-docs and the JSON beside it.
    properties.put("springdoc.swagger-ui.path", "/api-docs");
    properties.put("springdoc.api-docs.path", "/api-docs-json");
    properties.put("server.shutdown", "graceful");
    properties.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
    properties.put("server.error.whitelabel.enabled", "false");
    properties.put("spring.jmx.enabled", "false");
    // The embedded server's store (Flyway, HikariCP, SQLite) is on the class path but is not
    // the application's: keep Spring's database auto-configuration away from it.
    properties.put("spring.autoconfigure.exclude", String.join(",",
        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"));
    return properties;
  }

  public TimerSystemOptions options() {
    return options;
  }

  /** The embedded server, when this system started one. */
  public Optional<HourglassServer> server() {
    return Optional.ofNullable(server);
  }

  /** host:port of the server the service talks to. */
  public String temporalAddress() {
    return temporalAddress;
  }

  /** The REST API's bound port, when this process runs the API. */
  public OptionalInt apiPort() {
    if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
      return OptionalInt.of(web.getWebServer().getPort());
    }
    return OptionalInt.empty();
  }

  /** {@code http://address:port} of the REST API, when this process runs it. */
  public Optional<String> apiUrl() {
    OptionalInt port = apiPort();
    if (port.isEmpty()) {
      return Optional.empty();
    }
    String host = options.apiAddress().contains(":") ? "[" + options.apiAddress() + "]" : options.apiAddress();
    return Optional.of("http://" + host + ":" + port.getAsInt());
  }

  /** Blocks until {@link #close()} has run. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** Stops the API, then the worker, then the embedded server. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      context.close();
    } finally {
      if (server != null) {
        server.close();
      }
      terminated.countDown();
    }
  }
}
