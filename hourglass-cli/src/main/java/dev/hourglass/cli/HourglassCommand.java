package dev.hourglass.cli;

import dev.hourglass.cli.operator.OperatorCommand;
import dev.hourglass.cli.schedule.ScheduleCommand;
import dev.hourglass.cli.workflow.WorkflowCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The root of the command tree, shaped like Temporal's {@code temporal} CLI so habits carry
 * over: one group per noun ({@code server}, {@code workflow}, {@code schedule},
 * {@code operator}), one subcommand per verb; {@code up}, which starts the whole timer system; and
 * {@code completion}, which prints a shell completion script.
 *
 * <p>Not runnable itself: without a subcommand picocli prints usage and exits with 2.
 */
@Command(
    name = "hourglass",
    description = "Hourglass: a durable-execution server that speaks Temporal's gRPC API.",
    // INHERIT gives every subcommand --help and --version without repeating them.
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands = {ServerCommand.class, UpCommand.class, WorkflowCommand.class, ScheduleCommand.class, OperatorCommand.class,
        CompletionCommand.class},
    synopsisSubcommandLabel = "COMMAND")
final class HourglassCommand {}
