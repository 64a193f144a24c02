package dev.hourglass.cli;

import java.util.Optional;

/** A setting's sources in order of precedence: a flag, its environment variable, a config file. */
final class Fallbacks {
  private Fallbacks() {}

  /** The first source that has a value. */
  @SafeVarargs
  static <T> Optional<T> first(Optional<T>... candidates) {
    for (Optional<T> candidate : candidates) {
      if (candidate.isPresent()) {
        return candidate;
      }
    }
    return Optional.empty();
  }
}
