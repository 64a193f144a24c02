package dev.hourglass.cli.schedule;

import picocli.CommandLine.Option;

/** {@code -s}/{@code --schedule-id}: which schedule a command acts on. */
final class ScheduleId {
  @Option(names = {"-s", "--schedule-id"}, required = true, paramLabel = "ID", description = "Schedule id.")
  String id;
}
