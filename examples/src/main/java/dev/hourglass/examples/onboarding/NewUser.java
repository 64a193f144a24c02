package dev.hourglass.examples.onboarding;

import static java.util.Objects.requireNonNull;

/** Who signed up, and how long to wait for them to activate before a reminder goes out. */
public record NewUser(String email, String name, long reminderAfterSeconds) {
  public NewUser {
    requireNonNull(email, "email is null");
    requireNonNull(name, "name is null");
  }
}
