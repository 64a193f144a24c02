package dev.hourglass.engine.history;

/** An accepted workflow update, kept in the mutable state (the outcome itself is in its completed event). */
final class UpdateInfo {
  long acceptedEventId;
  /** 0 while the update runs. */
  long completedEventId;
  /** Whether the update's request carries a Nexus operation's completion callback (see NexusOperations). */
  boolean reportsToNexus;

  boolean completed() {
    return completedEventId != 0;
  }
}
