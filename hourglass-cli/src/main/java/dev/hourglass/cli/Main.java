package dev.hourglass.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Entry point of the {@code hourglass} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    CommandFactory factory = new CommandFactory(Path.of("").toAbsolutePath(), new DevServerRunner(Runtime.getRuntime()::addShutdownHook),
        new TimerSystemRunner(Runtime.getRuntime()::addShutdownHook), System.getenv());
    System.exit(commandLine(factory).execute(args));
  }

  /**
   * Reports a command-line mistake. A group ({@code hourglass}, {@code hourglass server}) lists
   * its subcommands, which is what someone who typed only the group wants to see; a leaf command
   * says what was wrong and where help is, instead of burying the error above a screen of usage.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(e.getMessage());
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
      if (command.getSubcommands().isEmpty()) {
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
      } else {
        command.usage(err);
      }
    }
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * The whole command tree, with commands created by {@code factory}: tests pass one that
   * records what a command was asked to do instead of doing it.
   */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    return new CommandLine(HourglassCommand.class, factory)
        .setParameterExceptionHandler(Main::usageError);
  }
}
