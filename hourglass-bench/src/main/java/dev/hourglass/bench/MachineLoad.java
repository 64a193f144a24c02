package dev.hourglass.bench;

import java.lang.management.ManagementFactory;

/**
 * The machine's one-minute load average, recorded with every result: client, worker and server
 * share two cores, so a figure taken while something else ran is worth less, and the load says so.
 */
final class MachineLoad {
  private MachineLoad() {}

  /** One-minute load average rounded to 0.1, or -1 where the platform does not report it. */
  static double oneMinute() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? -1 : Math.round(load * 10) / 10.0;
  }
}
