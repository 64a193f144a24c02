package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Sets the current-run row of a workflow id.
 *
 * @param expectedRunId the run that must be current now; empty when no row may exist yet
 */
public record CurrentExecutionWrite(CurrentExecution row, Optional<String> expectedRunId) {
  public CurrentExecutionWrite {
    requireNonNull(row, "row is null");
    requireNonNull(expectedRunId, "expectedRunId is null");
  }
}
