package dev.hourglass.cli.operator;

import picocli.CommandLine.Command;

/** {@code hourglass operator search-attribute}. */
@Command(name = "search-attribute", description = "Create, list and remove custom search attributes.",
    subcommands = {SearchAttributeCreateCommand.class, SearchAttributeListCommand.class, SearchAttributeRemoveCommand.class},
    synopsisSubcommandLabel = "COMMAND")
final class SearchAttributeCommand {}
