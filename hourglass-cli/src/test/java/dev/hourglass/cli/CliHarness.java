package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code hourglass} commands in this JVM as the real entry point builds them, with the
 * server's address in the environment the way a shell would pass {@code HOURGLASS_ADDRESS}, and
 * captures stdout, stderr and the exit code.
 */
final class CliHarness {
  private final Map<String, String> environment;

  CliHarness(Map<String, String> environment) {
    this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
  }

  static CliHarness forServer(String target) {
    return new CliHarness(Map.of("HOURGLASS_ADDRESS", target));
  }

  CliResult run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandFactory factory = new CommandFactory(Path.of("").toAbsolutePath(),
        (options, o, e) -> {
          throw new AssertionError("no server should start");
        },
        (options, o, e) -> {
          throw new AssertionError("no timer system should start");
        },
        environment);
    CommandLine commandLine = Main.commandLine(factory);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CliResult(exitCode, out.toString(), err.toString());
  }

  /** A command line with more arguments at its end. */
  static String[] concat(String[] command, String... more) {
    String[] all = java.util.Arrays.copyOf(command, command.length + more.length);
    System.arraycopy(more, 0, all, command.length, more.length);
    return all;
  }

  /** What one command printed and how it exited. */
  record CliResult(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
