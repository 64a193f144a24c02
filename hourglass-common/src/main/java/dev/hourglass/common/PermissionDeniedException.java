package dev.hourglass.common;

/** The request is refused by policy, as Temporal refuses it. Maps to PERMISSION_DENIED. */
public class PermissionDeniedException extends HourglassException {
  public PermissionDeniedException(String message) {
    super(message);
  }
}
