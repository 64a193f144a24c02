package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

/**
 * Consecutive history events appended by one state change, stored together.
 *
 * @param events the serialized {@code temporal.api.history.v1.History} holding events
 *     {@code firstEventId..lastEventId}
 */
public record HistoryBatch(long firstEventId, long lastEventId, byte[] events) {
  public HistoryBatch {
    requireNonNull(events, "events is null");
    if (firstEventId < 1 || lastEventId < firstEventId) {
      throw new IllegalArgumentException("bad event range " + firstEventId + ".." + lastEventId);
    }
  }
}
