package dev.hourglass.tests.support;

import static java.util.Objects.requireNonNull;

import dev.hourglass.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on a free loopback port in front of one upstream address, which a test can
 * {@link #cut()}, {@link #partition()} and {@link #restore()}: cut closes every connection through
 * it and refuses new ones (they are accepted and closed at once), as when the database behind it
 * restarts or goes away; partition keeps every connection open but loses what the upstream
 * answers, as when a network silently drops packets. Only the test's own server goes through it;
 * the machine's database and everyone else's connections to it are untouched.
 */
public final class CuttableTcpProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CuttableTcpProxy.class);

  private final InetSocketAddress upstream;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile boolean partitioned;
  private volatile boolean closed;

  public CuttableTcpProxy(String upstreamHost, int upstreamPort) {
    this.upstream = new InetSocketAddress(requireNonNull(upstreamHost, "upstreamHost is null"), upstreamPort);
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "proxy-accept-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy in front of the PostgreSQL server that {@code database} names. */
  public static CuttableTcpProxy inFrontOf(StoreConfig.Postgres database) {
    URI direct = URI.create(database.jdbcUrl().substring("jdbc:".length()));
    return new CuttableTcpProxy(direct.getHost(), direct.getPort() == -1 ? 5432 : direct.getPort());
  }

  /** {@code database} reached through this proxy: the same database, user and password. */
  public StoreConfig.Postgres route(StoreConfig.Postgres database) {
    URI direct = URI.create(database.jdbcUrl().substring("jdbc:".length()));
    return new StoreConfig.Postgres("jdbc:postgresql://127.0.0.1:" + port() + direct.getRawPath(), database.user(), database.password());
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Drops every connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    cut = true;
    open.forEach(CuttableTcpProxy::closeQuietly);
    open.clear();
    log.info("proxy {} cut", port());
  }

  /**
   * A partition at its worst moment: what the client sends still reaches the upstream (so a
   * statement sent is applied, and the locks it takes are held), but nothing comes back, and
   * neither side learns of the other closing. The client finds out only by its own timeouts; the
   * upstream only when the client gives a connection up (its close is passed on, as the
   * database's TCP keepalives would eventually find out). {@link #restore()} ends it by closing
   * the connections it spoiled.
   */
  public void partition() {
    partitioned = true;
    log.info("proxy {} partitioned: answers are lost", port());
  }

  public void restore() {
    if (partitioned) {
      // Answers were dropped mid-stream: what these connections carry is no longer a protocol.
      partitioned = false;
      open.forEach(CuttableTcpProxy::closeQuietly);
      open.clear();
    }
    cut = false;
    log.info("proxy {} restored", port());
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      Socket server = new Socket();
      try {
        server.connect(upstream, 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      open.add(client);
      open.add(server);
      pump(client, server, "up", false);
      pump(server, client, "down", true);
    }
  }

  /** Copies from one socket to the other; {@code answers} is the upstream-to-client direction, the one a partition loses. */
  private void pump(Socket from, Socket to, String direction, boolean answers) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        boolean delivering = true;
        int read;
        while ((read = in.read(buffer)) >= 0) {
          if (answers && partitioned || !delivering) {
            continue;
          }
          try {
            out.write(buffer, 0, read);
            out.flush();
          } catch (IOException e) {
            if (!partitioned) {
              throw e;
            }
            // the upstream is gone, which the client may not learn: what it sends is lost
            delivering = false;
          }
        }
      } catch (IOException e) {
        // one side went away (or the proxy was cut)
      }
      closeQuietly(from);
      open.remove(from);
      if (!(answers && partitioned)) {
        // the upstream closing is lost in a partition; the client giving up is not
        closeQuietly(to);
        open.remove(to);
      }
    }, "proxy-" + port() + "-" + direction);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // nothing more to release
    }
    open.forEach(CuttableTcpProxy::closeQuietly);
  }
}
