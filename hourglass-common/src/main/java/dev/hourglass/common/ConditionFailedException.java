package dev.hourglass.common;

/**
 * A store write found the execution at another version than the one it was computed from: some
 * other writer got there first. Internal: the engine reloads and retries, never shows it to clients.
 */
public final class ConditionFailedException extends HourglassException {
  public ConditionFailedException(String message) {
    super(message);
  }
}
