package dev.hourglass.cli;

import java.io.PrintWriter;

/** Runs a server with the parsed options until it stops; the seam between parsing and running. */
@FunctionalInterface
interface ServerRunner {
  /**
   * @param out where to tell the user where the server listens
   * @param err where to report why it could not start
   * @return the process exit code
   */
  int run(StartDevOptions options, PrintWriter out, PrintWriter err) throws InterruptedException;
}
