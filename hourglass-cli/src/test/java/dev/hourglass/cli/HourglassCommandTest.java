package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree: groups, help and version on every level. */
class HourglassCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CommandLine commandLine = Main.commandLine(new CommandFactory(Path.of("/tmp"), (options, out, err) -> {
    throw new AssertionError("no server should start");
  }));

  HourglassCommandTest() {
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
  }

  @Test
  void helpListsServerGroup() {
    assertThat(commandLine.execute("--help")).isZero();

    assertThat(out.toString()).contains("Usage: hourglass").contains("server");
  }

  @Test
  void serverHelpListsStartDev() {
    assertThat(commandLine.execute("server", "-h")).isZero();

    assertThat(out.toString()).contains("Usage: hourglass server").contains("start-dev");
  }

  @Test
  void versionComesFromTheBuild() {
    assertThat(commandLine.execute("--version")).isZero();

    // Filtered from the pom by Maven: an unfiltered placeholder means the resource setup broke.
    assertThat(out.toString()).startsWith("hourglass ").doesNotContain("${").contains("-hourglass");
    assertThat(VersionProvider.buildVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void versionOnSubcommands() {
    assertThat(commandLine.execute("server", "start-dev", "--version")).isZero();

    assertThat(out.toString()).startsWith("hourglass ");
  }

  @Test
  void groupWithoutSubcommandShowsItsUsage() {
    assertThat(commandLine.execute("server")).isEqualTo(2);

    assertThat(err.toString()).contains("Missing required subcommand").contains("start-dev");
  }

  @Test
  void misspelledSubcommandSuggestsTheRightOne() {
    assertThat(commandLine.execute("server", "strat-dev")).isEqualTo(2);

    assertThat(err.toString()).contains("'strat-dev'").contains("start-dev");
  }

  @Test
  void helpListsClientGroups() {
    assertThat(commandLine.execute("--help")).isZero();

    assertThat(out.toString()).contains("workflow").contains("operator").contains("completion");
  }

  @Test
  void everyClientCommandHasHelpWithTheGlobalOptions() {
    for (String[] command : new String[][] {{"workflow", "execute"}, {"workflow", "show"}, {"workflow", "update", "execute"},
        {"operator", "namespace", "create"}, {"operator", "search-attribute", "remove"}}) {
      StringWriter help = new StringWriter();
      commandLine.setOut(new PrintWriter(help, true));
      String[] args = java.util.Arrays.copyOf(command, command.length + 1);
      args[command.length] = "--help";

      assertThat(commandLine.execute(args)).isZero();
      assertThat(help.toString()).contains("--address").contains("--namespace").contains("--output").contains("--tls-ca-path")
          .contains("--command-timeout");
    }
  }

  @Test
  void completionScriptKnowsTheCommands() {
    assertThat(commandLine.execute("completion", "bash")).isZero();

    assertThat(out.toString()).contains("complete -F").contains("workflow").contains("search-attribute").contains("--task-queue");
  }

  @Test
  void completionForAnUnknownShellIsAUsageError() {
    assertThat(commandLine.execute("completion", "fish")).isEqualTo(2);

    assertThat(err.toString()).contains("fish");
  }
}
