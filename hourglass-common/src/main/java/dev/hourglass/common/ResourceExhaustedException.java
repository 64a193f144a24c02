package dev.hourglass.common;

/** A limit was reached (rate, queue size). Maps to RESOURCE_EXHAUSTED. */
public class ResourceExhaustedException extends HourglassException {
  public ResourceExhaustedException(String message) {
    super(message);
  }
}
