package dev.hourglass.cli.operator;

import picocli.CommandLine.Command;

/** {@code hourglass operator namespace}. */
@Command(name = "namespace", description = "Create, list, describe and update namespaces.",
    subcommands = {NamespaceCreateCommand.class, NamespaceListCommand.class, NamespaceDescribeCommand.class, NamespaceUpdateCommand.class},
    synopsisSubcommandLabel = "COMMAND")
final class NamespaceCommand {}
