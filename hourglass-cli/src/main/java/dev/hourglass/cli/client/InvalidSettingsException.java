package dev.hourglass.cli.client;

/** A flag's value cannot be used (a TLS file that is missing, JSON that does not parse): a usage error, exit code 2. */
public final class InvalidSettingsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidSettingsException(String message) {
    super(message);
  }

  public InvalidSettingsException(String message, Throwable cause) {
    super(message, cause);
  }
}
