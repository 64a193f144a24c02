package dev.hourglass.server;

/** The server could not start; the message says why in words an operator can act on. */
public final class ServerStartException extends RuntimeException {
  public ServerStartException(String message, Throwable cause) {
    super(message, cause);
  }

  public ServerStartException(String message) {
    super(message);
  }
}
