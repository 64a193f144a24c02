package dev.hourglass.common;

/** The workflow, run, activity or task the request names does not exist (any more). Maps to NOT_FOUND. */
public class NotFoundException extends HourglassException {
  public NotFoundException(String message) {
    super(message);
  }
}
