package dev.hourglass.cli;

import java.io.PrintWriter;

/** Runs the timer system with the parsed options until it stops; the seam between parsing and running {@code up}. */
@FunctionalInterface
interface UpRunner {
  /**
   * @param out where to tell the user where everything listens
   * @param err where to report why it could not start
   * @return the process exit code
   */
  int run(UpOptions options, PrintWriter out, PrintWriter err) throws InterruptedException;
}
