package dev.hourglass.timers;

import java.util.Locale;

/** What one process of the timer service runs: the REST API, the worker, or both. */
public enum Role {
  /** The REST API and the worker. */
  ALL,
  /** Only the REST API: starts, queries, signals and cancels workflows; never runs them. */
  API,
  /** Only the worker: runs timer workflows and webhook calls; serves no HTTP. */
  WORKER;

  public boolean runsApi() {
    return this != WORKER;
  }

  public boolean runsWorker() {
    return this != API;
  }

  /** Parses {@code all}, {@code api} or {@code worker} in any case. */
  public static Role parse(String value) {
    for (Role role : values()) {
      if (role.name().equalsIgnoreCase(value.trim())) {
        return role;
      }
    }
    throw new IllegalArgumentException("role must be one of all, api, worker: '" + value + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
