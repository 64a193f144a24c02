package dev.hourglass.tests.support;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on a free loopback port in front of one upstream address, which a test can
 * {@link #cut()} and {@link #restore()}: cut closes every connection through it and refuses new
 * ones (they are accepted and closed at once), as when the database behind it restarts or goes
 * away. Only the test's own server goes through it; the machine's database and everyone else's
 * connections to it are untouched.
 */
public final class CuttableTcpProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CuttableTcpProxy.class);

  private final InetSocketAddress upstream;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
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

  public void restore() {
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
      pump(client, server, "up");
      pump(server, client, "down");
    }
  }

  private void pump(Socket from, Socket to, String direction) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away (or the proxy was cut): close both
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
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
