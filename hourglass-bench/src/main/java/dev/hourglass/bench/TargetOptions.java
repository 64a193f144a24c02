package dev.hourglass.bench;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The flags every benchmark against a server shares: where it is, what to call it, how long to try. */
final class TargetOptions {
  @Option(names = "--address", required = true, paramLabel = "HOST:PORT",
      description = "gRPC address of the Temporal-compatible server under test; loopback only.")
  private String address;

  @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "default",
      description = "Namespace to run in (default: ${DEFAULT-VALUE}).")
  private String namespace;

  @Option(names = "--target", paramLabel = "LABEL",
      description = "Name of the server in the output, e.g. reference or hourglass (default: the address).")
  private String label;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "Upper bound on the whole run; unfinished workflows then count as timed out (default: ${DEFAULT-VALUE}).")
  private long timeoutSeconds;

  @Option(names = "--server-pid", paramLabel = "PID", defaultValue = "0",
      description = "Process id of the server, to report the CPU time it spent on the run (optional).")
  private long serverPid;

  /** The validated address; a non-loopback or malformed one is a usage error naming the flag. */
  LoopbackAddress address(CommandSpec spec) {
    try {
      return LoopbackAddress.parse(address);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid --address: " + e.getMessage(), e);
    }
  }

  /** The server's pid, or 0 when not given. */
  long serverPid() {
    return serverPid;
  }

  String namespace() {
    return namespace;
  }

  String label() {
    return label != null ? label : address;
  }

  Duration timeout(CommandSpec spec) {
    if (timeoutSeconds <= 0) {
      throw new ParameterException(spec.commandLine(), "--timeout must be positive");
    }
    return Duration.ofSeconds(timeoutSeconds);
  }
}
