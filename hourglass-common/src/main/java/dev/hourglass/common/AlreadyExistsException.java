package dev.hourglass.common;

/** The entity to create exists already. Maps to ALREADY_EXISTS. */
public class AlreadyExistsException extends HourglassException {
  public AlreadyExistsException(String message) {
    super(message);
  }
}
