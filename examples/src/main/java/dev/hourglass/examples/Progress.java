package dev.hourglass.examples;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Prints what a running workflow reports (its query) whenever it changes, until its result arrives. */
final class Progress {
  private Progress() {}

  static <T> T follow(CompletableFuture<T> result, Supplier<Object> status) throws Exception {
    Object last = null;
    while (true) {
      try {
        return result.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException stillRunning) {
        Object now = status.get();
        if (!Objects.equals(now, last)) {
          System.out.println("  status: " + now);
          last = now;
        }
      }
    }
  }

  static String seconds(Duration duration) {
    return duration.toSeconds() + " s";
  }
}
