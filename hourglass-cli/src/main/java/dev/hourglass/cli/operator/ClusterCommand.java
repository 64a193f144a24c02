package dev.hourglass.cli.operator;

import picocli.CommandLine.Command;

/** {@code hourglass operator cluster}. */
@Command(name = "cluster", description = "Show the server processes sharing the database and which one is active.",
    subcommands = {ClusterDescribeCommand.class}, synopsisSubcommandLabel = "COMMAND")
final class ClusterCommand {}
