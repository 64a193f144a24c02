package dev.hourglass.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;

/**
 * CPU time spent by this JVM (client and worker) and, when its pid is known, by the server, over
 * one measured phase. On a shared 2-core machine wall-clock figures move with whatever else runs;
 * the server's CPU time per workflow moves much less, and says what the server costs.
 */
final class CpuMeter {
  private final ProcessHandle server; // null: server pid not given or not visible
  private final long clientStartNanos;
  private final Duration serverStart;

  private CpuMeter(ProcessHandle server) {
    this.server = server;
    this.clientStartNanos = processCpuNanos();
    this.serverStart = server == null ? null : server.info().totalCpuDuration().orElse(null);
  }

  /** Starts measuring now; {@code serverPid} 0 means the server's CPU is not measured. */
  static CpuMeter start(long serverPid) {
    return new CpuMeter(serverPid > 0 ? ProcessHandle.of(serverPid).orElse(null) : null);
  }

  /** CPU seconds of this JVM since {@link #start}, or -1 if the JVM does not report it. */
  double clientSeconds() {
    long now = processCpuNanos();
    return now < 0 || clientStartNanos < 0 ? -1 : round((now - clientStartNanos) / 1e9);
  }

  /** CPU seconds of the server since {@link #start}, or -1 if unknown (no pid, process gone). */
  double serverSeconds() {
    if (serverStart == null) {
      return -1;
    }
    Optional<Duration> now = server.info().totalCpuDuration();
    return now.map(total -> round(total.minus(serverStart).toNanos() / 1e9)).orElse(-1.0);
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 100) / 100.0;
  }
}
