package dev.hourglass.tests.support;

import static java.util.Objects.requireNonNull;

import dev.hourglass.store.StoreConfig;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Hourglass server in a JVM of its own, started through the CLI on this JVM's class path
 * ({@code hourglass server start-dev} on a SQLite file, {@code hourglass server start} on a
 * PostgreSQL database), so a test can kill it with SIGKILL mid-transaction and start another on
 * the same store and port.
 *
 * <p>The child's stdout and stderr are copied to a log file by one daemon thread, which also watches
 * for the readiness line {@value #READY_PREFIX}{@code <port>}. The child never outlives the test JVM:
 * {@link #close()} kills it, and so does a shutdown hook.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);
  public static final String MAIN_CLASS = "dev.hourglass.cli.Main";
  public static final String READY_PREFIX = "Hourglass server listening on 127.0.0.1:";
  /** Generous: a JVM, Flyway and shard acquisition on a loaded 2-core CI machine took up to 30 s. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** Lines of output kept for the failure message when the server does not come up. */
  private static final int TAIL_LINES = 40;

  private final Process process;
  private final int port;
  private final Thread killOnExit;

  private ServerProcess(Process process, int port) {
    this.process = requireNonNull(process, "process is null");
    this.port = port;
    this.killOnExit = new Thread(process::destroyForcibly, "kill-hourglass-server-" + port);
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Starts a server on {@code store} ({@code hourglass server start-dev --db-filename FILE} or
   * {@code hourglass server start --db-url URL}) and returns once it printed its readiness line;
   * output goes to {@code logFile} (appended, so a restarted server's output follows the killed
   * one's).
   *
   * @throws IllegalStateException when the process exits or stays silent past {@link #READY_TIMEOUT}
   */
  public static ServerProcess start(StoreConfig store, int port, Path logFile) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", testClassPath(),
        MAIN_CLASS, "server"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (store instanceof StoreConfig.Postgres postgres) {
      command.addAll(List.of("start", "--db-url", postgres.jdbcUrl(), "--db-user", postgres.user()));
      builder.environment().put("HOURGLASS_DB_PASSWORD", postgres.password());
    } else {
      command.addAll(List.of("start-dev", "--db-filename", ((StoreConfig.Sqlite) store).file().toString()));
    }
    // A fixed gRPC port, but any free management port and no web UI: port + 2000 and port + 1000
    // may be another process's.
    command.addAll(List.of("--port", Integer.toString(port), "--management-port", "0", "--headless"));
    builder.command(command);
    long startNanos = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot launch " + command, e);
    }
    ServerProcess server = new ServerProcess(process, port);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Deque<String> tail = new ArrayDeque<>();
    Thread pump = new Thread(() -> pumpOutput(process, port, logFile, ready, tail), "hourglass-server-output-" + port);
    pump.setDaemon(true);
    pump.start();
    try {
      ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      log.info("Hourglass server process {} ready on port {} in {} ms", process.pid(), port,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      return server;
    } catch (TimeoutException | ExecutionException e) {
      server.kill();
      String output;
      synchronized (tail) {
        output = String.join(System.lineSeparator(), tail);
      }
      throw new IllegalStateException("Hourglass server on port " + port + " did not become ready; output:"
          + System.lineSeparator() + output, e);
    } catch (InterruptedException e) {
      server.kill();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the server", e);
    }
  }

  /** A port free on loopback right now; the caller binds it soon after (small race accepted in tests). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no flush, no clean close of the store. Returns once the process is gone. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
    log.info("Hourglass server process {} killed", process.pid());
  }

  /** SIGTERM, then SIGKILL if the server has not stopped within 10 s. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    awaitExit();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs anyway and is harmless on a dead process.
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Hourglass server process " + process.pid() + " did not exit");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the server to exit", e);
    }
  }

  private static void pumpOutput(Process process, int port, Path logFile, CompletableFuture<Void> ready, Deque<String> tail) {
    String readyLine = READY_PREFIX + port;
    try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      String line;
      while ((line = output.readLine()) != null) {
        log.write(line);
        log.newLine();
        log.flush();
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
        if (line.contains(readyLine)) {
          ready.complete(null);
        }
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
    ready.completeExceptionally(new IllegalStateException("server process exited with " + exitValue(process)));
  }

  private static String exitValue(Process process) {
    try {
      return Integer.toString(process.waitFor());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown status";
    }
  }

  /**
   * The class path this test JVM runs on. Surefire and failsafe may start the JVM from a manifest-only
   * jar; they then publish the real class path as {@code surefire.test.class.path}.
   */
  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    if (surefire != null && !surefire.isBlank()) {
      return surefire;
    }
    return System.getProperty("java.class.path");
  }
}
