package dev.hourglass.ui;

/** The web UI could not start (its port is taken); the message is written for the operator. */
public final class UiStartException extends RuntimeException {
  public UiStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
