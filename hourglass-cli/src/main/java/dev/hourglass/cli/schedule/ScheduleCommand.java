package dev.hourglass.cli.schedule;

import picocli.CommandLine.Command;

/** {@code hourglass schedule}: Temporal Schedules, as {@code temporal schedule}. */
@Command(name = "schedule", description = "Create, inspect and act on schedules.",
    subcommands = {ScheduleCreateCommand.class, ScheduleListCommand.class, ScheduleDescribeCommand.class, ScheduleUpdateCommand.class,
        ScheduleToggleCommand.class, ScheduleTriggerCommand.class, ScheduleBackfillCommand.class, ScheduleDeleteCommand.class},
    synopsisSubcommandLabel = "COMMAND")
public final class ScheduleCommand {}
