package dev.hourglass.common;

/** The request is malformed: a missing or invalid field. Maps to INVALID_ARGUMENT. */
public class InvalidArgumentException extends HourglassException {
  public InvalidArgumentException(String message) {
    super(message);
  }
}
