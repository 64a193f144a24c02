package dev.hourglass.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point of the benchmark: drives any Temporal-compatible server on this machine with the
 * real Java SDK (client and worker in this JVM), so one run measures Hourglass and the SDK's
 * in-memory test server the same way. See {@code docs/performance.md}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks for Temporal-compatible servers.",
    subcommands = {
        WorkflowsCommand.class, TimersCommand.class, ReferenceServerCommand.class, PingCommand.class, ReportCommand.class,
        VisibilityFillCommand.class, VisibilityCommand.class},
    synopsisSubcommandLabel = "COMMAND")
public final class Bench implements Runnable {
  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    // --kind activity|empty: lower case on the command line, upper case as Java enum constants.
    return new CommandLine(new Bench()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
