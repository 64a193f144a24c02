package dev.hourglass.timers.workflow;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link TimerWorkflow} is started with.
 *
 * @param url the webhook base URL; the call goes to {@code url + "/" + id}
 * @param deadline when to call it, epoch milliseconds
 */
public record TimerSpec(String url, long deadline) {
  public TimerSpec {
    requireNonNull(url, "url is null");
  }
}
