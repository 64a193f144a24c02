package dev.hourglass.examples.mail;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for an e-mail provider: prints each message and keeps it in an outbox the tests read.
 * With {@code flaky} set, the first attempt of every message fails the way an SMTP timeout does,
 * so the retry policy shows in the workflow's pending activity and history.
 */
public final class OutboxMailer implements EmailActivities {
  private final boolean flaky;
  private final List<Email> outbox = new CopyOnWriteArrayList<>();

  public OutboxMailer(boolean flaky) {
    this.flaky = flaky;
  }

  @Override
  public String send(Email email) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    if (flaky && context.getInfo().getAttempt() == 1) {
      throw new IllegalStateException("SMTP server timed out (attempt 1 fails on purpose; the retry policy sends it again)");
    }
    outbox.add(email);
    System.out.printf("  mail to %s: %s%n", email.to(), email.subject());
    return "msg-" + context.getInfo().getWorkflowId() + "-" + context.getInfo().getActivityId();
  }

  /** Messages sent so far, oldest first. */
  public List<Email> outbox() {
    return List.copyOf(outbox);
  }
}
