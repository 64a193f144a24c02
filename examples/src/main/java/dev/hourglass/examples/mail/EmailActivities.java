package dev.hourglass.examples.mail;

import io.temporal.activity.ActivityInterface;

/** Sends e-mail. Shared by the onboarding, digest and subscription examples. */
@ActivityInterface
public interface EmailActivities {
  /** Sends the message; returns the provider's message id. */
  String send(Email email);
}
