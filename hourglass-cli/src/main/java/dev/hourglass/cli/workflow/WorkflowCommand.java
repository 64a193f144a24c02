package dev.hourglass.cli.workflow;

import picocli.CommandLine.Command;

/**
 * {@code hourglass workflow}: start, inspect and act on workflows, as {@code temporal workflow}.
 * Public so the root command can list it; its subcommands stay package-private.
 */
@Command(
    name = "workflow",
    description = "Start, inspect and act on workflows.",
    subcommands = {StartCommand.class, ExecuteCommand.class, DescribeCommand.class, ShowCommand.class, ResultCommand.class,
        SignalCommand.class, QueryCommand.class, CancelCommand.class, TerminateCommand.class, ListCommand.class, CountCommand.class,
        ResetCommand.class, UpdateCommand.class, DeleteCommand.class},
    synopsisSubcommandLabel = "COMMAND")
public final class WorkflowCommand {}
