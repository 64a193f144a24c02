package dev.hourglass.examples.migration;

import static java.util.Objects.requireNonNull;

/**
 * A migration's settings and the progress so far. {@code batchesPerRun} bounds the history of one
 * run: after that many batches the workflow continues as new, carrying {@code progress}.
 */
public record MigrationInput(int batchSize, int batchesPerRun, MigrationProgress progress) {
  public MigrationInput {
    requireNonNull(progress, "progress is null");
  }
}
