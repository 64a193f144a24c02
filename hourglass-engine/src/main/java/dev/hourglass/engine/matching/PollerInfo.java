package dev.hourglass.engine.matching;

import static java.util.Objects.requireNonNull;

/**
 * Who is polling: what the started event and DescribeTaskQueue show.
 *
 * @param workerInstanceKey the worker's unique instance key (empty when the SDK sends none): ShutdownWorker
 *     names it to have the worker's outstanding polls answered
 */
public record PollerInfo(String identity, String workerInstanceKey) {
  public PollerInfo {
    requireNonNull(identity, "identity is null");
    requireNonNull(workerInstanceKey, "workerInstanceKey is null");
  }

  public PollerInfo(String identity) {
    this(identity, "");
  }
}
