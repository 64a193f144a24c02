package dev.hourglass.cli;

import picocli.CommandLine.Command;

/** {@code hourglass server}: commands that run a server: {@code start} (PostgreSQL) and {@code start-dev} (SQLite). */
@Command(
    name = "server",
    description = "Run an Hourglass server.",
    subcommands = {StartCommand.class, StartDevCommand.class},
    synopsisSubcommandLabel = "COMMAND")
final class ServerCommand {}
