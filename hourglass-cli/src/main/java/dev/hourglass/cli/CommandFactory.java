package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import dev.hourglass.cli.client.ClientOptions;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * Creates the commands picocli instantiates, handing each its collaborators through its
 * constructor: the working directory (relative paths resolve against it), the server runner and,
 * for {@code up}, the timer system runner, and for {@code up} and {@code server start} the
 * environment, which client commands' options ({@link ClientOptions}) also fall back to.
 */
final class CommandFactory implements CommandLine.IFactory {
  private final Path workingDirectory;
  private final ServerRunner serverRunner;
  private final UpRunner upRunner;
  private final Map<String, String> environment;
  private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

  CommandFactory(Path workingDirectory, ServerRunner serverRunner) {
    this(workingDirectory, serverRunner, (options, out, err) -> {
      throw new IllegalStateException("this factory runs no timer system");
    }, Map.of());
  }

  /**
   * @param upRunner runs {@code hourglass up}
   * @param environment the variables the server commands fall back to (the process's, in the real command)
   */
  CommandFactory(Path workingDirectory, ServerRunner serverRunner, UpRunner upRunner, Map<String, String> environment) {
    this.workingDirectory = requireNonNull(workingDirectory, "workingDirectory is null");
    this.serverRunner = requireNonNull(serverRunner, "serverRunner is null");
    this.upRunner = requireNonNull(upRunner, "upRunner is null");
    this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    if (type == StartDevCommand.class) {
      return type.cast(new StartDevCommand(workingDirectory, environment, serverRunner));
    }
    if (type == StartCommand.class) {
      return type.cast(new StartCommand(workingDirectory, environment, serverRunner));
    }
    if (type == UpCommand.class) {
      return type.cast(new UpCommand(workingDirectory, environment, upRunner));
    }
    if (type == ClientOptions.class) {
      return type.cast(new ClientOptions(environment));
    }
    return fallback.create(type);
  }
}
