package dev.hourglass.cli.operator;

import picocli.CommandLine.Command;

/** {@code hourglass operator}: namespaces and search attributes, as {@code temporal operator}. */
@Command(name = "operator", description = "Manage namespaces and search attributes.",
    subcommands = {NamespaceCommand.class, SearchAttributeCommand.class}, synopsisSubcommandLabel = "COMMAND")
public final class OperatorCommand {}
