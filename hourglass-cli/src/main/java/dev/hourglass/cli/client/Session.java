package dev.hourglass.cli.client;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;

/**
 * What a client command works with while it runs.
 *
 * @param connection the server's stubs
 * @param namespace the namespace requests name
 * @param identity who the server records as the caller (e.g. in a termination event)
 * @param output stdout in the chosen format
 * @param err stderr, for outcomes that are not results
 */
public record Session(Connection connection, String namespace, String identity, Output output, PrintWriter err) {
  public Session {
    requireNonNull(connection, "connection is null");
    requireNonNull(namespace, "namespace is null");
    requireNonNull(identity, "identity is null");
    requireNonNull(output, "output is null");
    requireNonNull(err, "err is null");
  }

  /** Reports on stderr in one line. */
  public void error(String message) {
    err.println(message);
    err.flush();
  }
}
