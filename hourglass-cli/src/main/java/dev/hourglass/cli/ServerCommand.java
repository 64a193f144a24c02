package dev.hourglass.cli;

import picocli.CommandLine.Command;

/** {@code hourglass server}: commands that run a server (today {@code start-dev}; later {@code start}). */
@Command(
    name = "server",
    description = "Run an Hourglass server.",
    subcommands = {StartDevCommand.class},
    synopsisSubcommandLabel = "COMMAND")
final class ServerCommand {}
