package dev.hourglass.cli.client;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a server: it connects with the shared client options, runs
 * {@link #run(Session)} within {@code --command-timeout}, and turns what can go wrong into the
 * documented exit codes — an error status from the server is one line on stderr and exit code 1; a
 * flag value that cannot be used is a usage error, exit code 2.
 */
public abstract class ClientCommand implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  @Mixin
  protected ClientOptions client;

  /** Does the command's work; returns its exit code. */
  protected abstract int run(Session session) throws Exception;

  @Override
  public final Integer call() throws Exception {
    ConnectionSettings settings = client.settings();
    try (Connection connection = Connection.open(settings)) {
      Output output = new Output(spec.commandLine().getOut(), client.output(), client.shorthandPayloads());
      Session session = new Session(connection, settings.namespace(), identity(), output, spec.commandLine().getErr());
      return withinTimeout(settings.commandTimeout().orElse(null), () -> run(session));
    } catch (InvalidSettingsException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    } catch (StatusRuntimeException e) {
      spec.commandLine().getErr().println(describe(e.getStatus(), settings));
      spec.commandLine().getErr().flush();
      return ExitCodes.SERVER_ERROR;
    }
  }

  /** Throws a usage error (exit code 2) for this command. */
  protected ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * {@code Error: CODE: description} in one line. An unreachable server gets the transport's reason
   * and the address tried, since gRPC's own description ("io exception") says neither.
   */
  static String describe(Status status, ConnectionSettings settings) {
    StringBuilder message = new StringBuilder("Error: ").append(status.getCode());
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && settings.commandTimeout().isPresent()) {
      // gRPC's description lists channel internals; what the user needs is which limit was hit.
      return message.append(": the command did not finish within --command-timeout ")
          .append(Durations.format(Durations.toProto(settings.commandTimeout().get()))).toString();
    }
    if (status.getDescription() != null) {
      message.append(": ").append(status.getDescription());
    }
    if (status.getCode() == Status.Code.UNAVAILABLE) {
      if (status.getCause() != null && status.getCause().getMessage() != null) {
        message.append(": ").append(status.getCause().getMessage());
      }
      message.append(" (is a server running at ").append(settings.address()).append("?)");
    }
    return message.toString().replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * Runs the command in a gRPC context with the command's deadline, so every call it makes — long
   * polls included — stops when the time is up.
   */
  private static int withinTimeout(Duration timeout, Callable<Integer> body) throws Exception {
    if (timeout == null) {
      return body.call();
    }
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "hourglass-command-timeout");
      thread.setDaemon(true);
      return thread;
    });
    Context.CancellableContext context = Context.current().withDeadline(Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS), scheduler);
    try {
      return context.call(body);
    } finally {
      context.cancel(null);
      scheduler.shutdownNow();
    }
  }

  private static String identity() {
    return "hourglass-cli:" + System.getProperty("user.name", "unknown");
  }
}
