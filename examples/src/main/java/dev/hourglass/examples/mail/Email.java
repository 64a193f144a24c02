package dev.hourglass.examples.mail;

import static java.util.Objects.requireNonNull;

/** One e-mail to send. */
public record Email(String to, String subject, String body) {
  public Email {
    requireNonNull(to, "to is null");
    requireNonNull(subject, "subject is null");
    requireNonNull(body, "body is null");
  }
}
