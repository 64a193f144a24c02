package dev.hourglass.examples.digest;

import java.util.List;

/** What one day's digest run did. */
public record DigestReport(int sent, List<String> failedAccounts) {
  public DigestReport {
    failedAccounts = List.copyOf(failedAccounts);
  }
}
