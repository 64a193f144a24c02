package dev.hourglass.cli.operator;

import picocli.CommandLine.Command;

/** {@code hourglass operator}: namespaces, search attributes and the cluster, as {@code temporal operator}. */
@Command(name = "operator", description = "Manage namespaces and search attributes; show the cluster's members.",
    subcommands = {NamespaceCommand.class, SearchAttributeCommand.class, ClusterCommand.class}, synopsisSubcommandLabel = "COMMAND")
public final class OperatorCommand {}
