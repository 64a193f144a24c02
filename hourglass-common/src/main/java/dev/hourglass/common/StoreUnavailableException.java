package dev.hourglass.common;

/**
 * The database cannot be reached (down, restarting, the network in between is cut). Distinct from
 * other {@link UnavailableException}s so that background loops, which retry anyway, can stay quiet
 * about it: the store reports the outage once when it starts and once when it ends.
 */
public class StoreUnavailableException extends UnavailableException {
  public StoreUnavailableException(String message) {
    super(message);
  }
}
