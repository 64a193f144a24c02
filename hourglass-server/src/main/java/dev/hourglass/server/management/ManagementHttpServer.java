package dev.hourglass.server.management;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The management port: {@code GET /metrics} (Prometheus text format), {@code GET /health/live}
 * (200 while the process runs) and {@code GET /health/ready} (200 when {@link Readiness} says so,
 * 503 with a JSON body saying why not). The JDK's own HTTP server: three read-only endpoints need
 * no framework, and an embedding application's class path stays untouched.
 *
 * <p>It is started before the store is opened, so liveness answers during a long migration and
 * readiness says "starting" until {@link #setReadiness} is called.
 */
public final class ManagementHttpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusMeterRegistry metrics;
  private final AtomicReference<Supplier<Readiness.Report>> readiness = new AtomicReference<>(Readiness.Report::starting);

  private ManagementHttpServer(HttpServer server, ExecutorService executor, PrometheusMeterRegistry metrics) {
    this.server = server;
    this.executor = executor;
    this.metrics = metrics;
  }

  /**
   * Binds {@code ip:port} (0: any free port) and starts answering.
   *
   * @throws IOException when the port cannot be bound
   */
  public static ManagementHttpServer start(String ip, int port, PrometheusMeterRegistry metrics) throws IOException {
    requireNonNull(ip, "ip is null");
    requireNonNull(metrics, "metrics is null");
    HttpServer server = HttpServer.create(new InetSocketAddress(ip, port), 0);
    AtomicInteger threads = new AtomicInteger();
    // Two threads: a scrape and a probe may overlap; nothing here is slow but the store check (bounded).
    ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "hourglass-management-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    ManagementHttpServer management = new ManagementHttpServer(server, executor, metrics);
    server.createContext("/", management::handle);
    server.setExecutor(executor);
    server.start();
    return management;
  }

  /** From now on, readiness is what {@code check} says (called once the store and shards are up). */
  public void setReadiness(Supplier<Readiness.Report> check) {
    readiness.set(requireNonNull(check, "check is null"));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD are supported\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/metrics" -> respond(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
        case "/health/live" -> respondJson(exchange, 200, Map.of("status", "live"));
        case "/health/ready" -> ready(exchange);
        default -> respond(exchange, 404, "text/plain; charset=utf-8", "not found; try /metrics, /health/live or /health/ready\n");
      }
    }
  }

  private void ready(HttpExchange exchange) throws IOException {
    Readiness.Report report = readiness.get().get();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", report.ready() ? "ready" : "not ready");
    body.put("problems", report.problems());
    body.put("shardsOwned", report.shardsOwned());
    body.put("shardCount", report.shardCount());
    respondJson(exchange, report.ready() ? 200 : 503, body);
  }

  private static void respondJson(HttpExchange exchange, int status, Object body) throws IOException {
    respond(exchange, status, "application/json", JSON.writeValueAsString(body) + "\n");
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
