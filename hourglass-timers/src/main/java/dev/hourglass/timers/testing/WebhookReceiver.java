package dev.hourglass.timers.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on loopback for tests and manual tries: records every request under
 * {@code /hooks/...} with the time it arrived, and answers 200 unless told otherwise for an id
 * ({@link #answer}). Built on the JDK's own HTTP server, so it needs nothing besides Java.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** The path prefix timers are pointed at: {@code url = baseUrl()}, calls arrive at {@code /hooks/<id>}. */
  public static final String PATH = "/hooks";

  /**
   * One request as received.
   *
   * @param method the HTTP method
   * @param path the request path, e.g. {@code /hooks/<id>}
   * @param body the body's bytes
   * @param contentType the Content-Type header, or null
   * @param receivedAtMillis when it arrived, epoch milliseconds
   * @param status what the receiver answered
   */
  public record Delivery(String method, String path, byte[] body, String contentType, long receivedAtMillis, int status) {
    /** The last path segment: the timer id. */
    public String id() {
      return path.substring(path.lastIndexOf('/') + 1);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Delivery> deliveries = new ArrayList<>();
  private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();

  private WebhookReceiver(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a receiver on 127.0.0.1 and the given port (0 = any free one). */
  public static WebhookReceiver start(int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "webhook-receiver");
      thread.setDaemon(true);
      return thread;
    });
    WebhookReceiver receiver = new WebhookReceiver(server, executor);
    server.createContext("/", receiver::handle);
    server.setExecutor(executor);
    server.start();
    return receiver;
  }

  public static WebhookReceiver start() {
    return start(0);
  }

  /** The URL to give timers: {@code http://127.0.0.1:<port>/hooks}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + PATH;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The next calls for {@code id} get these statuses, in order; calls after them get 200. */
  public void answer(String id, int... statuses) {
    Deque<Integer> queue = scripted.computeIfAbsent(id, key -> new ArrayDeque<>());
    synchronized (queue) {
      for (int status : statuses) {
        queue.addLast(status);
      }
    }
  }

  /** Every request so far, in arrival order. */
  public List<Delivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  /** The requests for one timer id, in arrival order. */
  public List<Delivery> deliveries(String id) {
    return deliveries().stream().filter(delivery -> delivery.id().equals(id)).toList();
  }

  /** Requests for {@code id} that were answered 2xx. */
  public List<Delivery> successes(String id) {
    return deliveries(id).stream().filter(delivery -> delivery.status() / 100 == 2).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long now = System.currentTimeMillis();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String path = exchange.getRequestURI().getPath();
    int status = path.startsWith(PATH + "/") ? nextStatus(path.substring(path.lastIndexOf('/') + 1)) : 404;
    Delivery delivery = new Delivery(exchange.getRequestMethod(), path, body,
        exchange.getRequestHeaders().getFirst("Content-Type"), now, status);
    synchronized (deliveries) {
      deliveries.add(delivery);
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private int nextStatus(String id) {
    Deque<Integer> queue = scripted.get(id);
    if (queue == null) {
      return 200;
    }
    synchronized (queue) {
      Integer status = queue.pollFirst();
      return status == null ? 200 : status;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
