package dev.hourglass.cli.workflow;

import picocli.CommandLine.Command;

/** {@code hourglass workflow update}: sends Workflow Updates, as {@code temporal workflow update}. */
@Command(name = "update", description = "Send an update to a workflow and wait for it to be accepted or completed.",
    subcommands = {UpdateExecuteCommand.class, UpdateStartCommand.class}, synopsisSubcommandLabel = "COMMAND")
final class UpdateCommand {}
