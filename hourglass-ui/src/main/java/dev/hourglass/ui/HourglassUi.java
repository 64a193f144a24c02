package dev.hourglass.ui;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI: server-rendered pages on the JDK's HTTP server, reading the Hourglass (or Temporal)
 * server at {@link UiOptions#serverTarget()} through its public gRPC API, like any client.
 */
public final class HourglassUi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HourglassUi.class);
  private static final int THREADS = 8;

  private final HttpServer http;
  private final ExecutorService executor;
  private final WorkflowServiceStubs service;
  private final String url;

  private HourglassUi(HttpServer http, ExecutorService executor, WorkflowServiceStubs service, String url) {
    this.http = http;
    this.executor = executor;
    this.service = service;
    this.url = url;
  }

  /**
   * Binds the UI's port and starts serving. The server need not be up yet: each page asks it
   * when it is loaded.
   *
   * @throws UiStartException when the port cannot be bound
   */
  public static HourglassUi start(UiOptions options) {
    requireNonNull(options, "options is null");
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(options.ip(), options.port()), 0);
    } catch (BindException e) {
      throw new UiStartException("Cannot start the web UI: port " + options.port() + " on " + options.ip()
          + " is already in use (give another with --ui-port, or --headless for none)", e);
    } catch (IOException e) {
      throw new UiStartException("Cannot start the web UI on " + options.ip() + ":" + options.port() + ": " + e.getMessage(), e);
    }
    WorkflowServiceStubsOptions.Builder connection = WorkflowServiceStubsOptions.newBuilder().setTarget(options.serverTarget());
    options.serverTls().ifPresent(connection::setSslContext);
    options.serverName().ifPresent(name -> connection.setChannelInitializer(channel -> channel.overrideAuthority(name)));
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(connection.build());
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
    Pages pages = new Pages(service, new Templates());
    http.createContext("/", exchange -> handle(exchange, pages));
    http.setExecutor(executor);
    http.start();
    String host = options.ip().equals("0.0.0.0") ? "127.0.0.1" : options.ip().contains(":") ? "[" + options.ip() + "]" : options.ip();
    String url = "http://" + host + ":" + http.getAddress().getPort();
    log.debug("Web UI listening on {}", url);
    return new HourglassUi(http, executor, service, url);
  }

  /** Where to point a browser, e.g. {@code http://127.0.0.1:8233}. */
  public String url() {
    return url;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
    service.shutdownNow();
  }

  private static void handle(HttpExchange exchange, Pages pages) {
    try (exchange) {
      Response response;
      try {
        if (isCrossSitePost(exchange)) {
          send(exchange, pages.error(403, "Refused: this form was sent from another site (" + exchange.getRequestHeaders().getFirst("Origin") + ")"));
          return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = Request.parse(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(), body);
        response = pages.serve(request);
      } catch (StatusRuntimeException e) {
        response = pages.error(statusCode(e.getStatus()), e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      } catch (RuntimeException e) {
        log.warn("Web UI page failed: {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        response = pages.error(500, "The page failed: " + e);
      }
      send(exchange, response);
    } catch (IOException e) {
      // The browser went away; nothing to tell it.
      log.debug("Web UI response not sent", e);
    }
  }

  /**
   * The buttons change workflows, and the UI has no login: a page on another site must not be able
   * to post a form here (cross-site request forgery). Browsers name the page's origin on a POST;
   * it must be this UI's own.
   */
  private static boolean isCrossSitePost(HttpExchange exchange) {
    if (!exchange.getRequestMethod().equals("POST")) {
      return false;
    }
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (origin == null) {
      return "cross-site".equals(exchange.getRequestHeaders().getFirst("Sec-Fetch-Site"));
    }
    return host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  private static int statusCode(Status status) {
    return switch (status.getCode()) {
      case NOT_FOUND -> 404;
      case INVALID_ARGUMENT -> 400;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> 503;
      default -> 500;
    };
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.getResponseHeaders().set("Cache-Control", response.contentType().startsWith("text/html") ? "no-store" : "max-age=3600");
    if (response.location() != null) {
      exchange.getResponseHeaders().set("Location", response.location());
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(response.status(), head || response.body().length == 0 ? -1 : response.body().length);
    if (!head && response.body().length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }

  static byte[] resource(String path) {
    try (InputStream in = HourglassUi.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "hourglass-ui-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
