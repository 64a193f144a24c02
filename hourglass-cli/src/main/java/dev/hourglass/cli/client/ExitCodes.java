package dev.hourglass.cli.client;

/** The exit codes of client commands, documented in docs/cli.md so scripts can rely on them. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** The server answered with an error, or could not be reached. */
  public static final int SERVER_ERROR = 1;
  /** The command line is wrong (picocli's code for invalid input). */
  public static final int USAGE = 2;
  /** {@code workflow execute}/{@code result}/{@code update}: the workflow (or update) ran but did not succeed. */
  public static final int WORKFLOW_NOT_SUCCEEDED = 3;

  private ExitCodes() {}
}
