package dev.hourglass.common;

/**
 * Root of the errors the engine throws on purpose. The server maps each subclass to one gRPC
 * status in a single place; anything else becomes INTERNAL.
 */
public abstract class HourglassException extends RuntimeException {
  protected HourglassException(String message) {
    super(message);
  }

  protected HourglassException(String message, Throwable cause) {
    super(message, cause);
  }
}
