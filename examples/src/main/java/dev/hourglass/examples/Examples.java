package dev.hourglass.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code examples/run <example>}: runs one of the seeds' workflows against a running server. */
@Command(name = "examples/run", mixinStandardHelpOptions = true,
    description = "Runs an example workflow, with its worker in this process, against a running server.",
    subcommands = {OnboardingExample.class, DigestExample.class, SubscriptionExample.class, MigrationExample.class})
public final class Examples {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Examples()).execute(args));
  }
}
