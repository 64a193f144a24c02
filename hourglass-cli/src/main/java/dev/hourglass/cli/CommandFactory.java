package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Creates the commands picocli instantiates, handing each its collaborators through its
 * constructor: the working directory (relative paths resolve against it) and the server runner.
 */
final class CommandFactory implements CommandLine.IFactory {
  private final Path workingDirectory;
  private final ServerRunner serverRunner;
  private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

  CommandFactory(Path workingDirectory, ServerRunner serverRunner) {
    this.workingDirectory = requireNonNull(workingDirectory, "workingDirectory is null");
    this.serverRunner = requireNonNull(serverRunner, "serverRunner is null");
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    if (type == StartDevCommand.class) {
      return type.cast(new StartDevCommand(workingDirectory, serverRunner));
    }
    return fallback.create(type);
  }
}
