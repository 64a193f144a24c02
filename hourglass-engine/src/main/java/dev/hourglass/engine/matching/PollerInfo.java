package dev.hourglass.engine.matching;

import static java.util.Objects.requireNonNull;

/** Who is polling: what the started event and DescribeTaskQueue show. */
public record PollerInfo(String identity) {
  public PollerInfo {
    requireNonNull(identity, "identity is null");
  }
}
