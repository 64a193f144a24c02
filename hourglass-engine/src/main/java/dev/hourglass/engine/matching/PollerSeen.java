package dev.hourglass.engine.matching;

import static java.util.Objects.requireNonNull;

/** A worker identity that polled a task queue lately, and when it last did (DescribeTaskQueue). */
public record PollerSeen(String identity, long lastAccessMillis) {
  public PollerSeen {
    requireNonNull(identity, "identity is null");
  }
}
