package dev.hourglass.examples.digest;

import java.util.List;
import java.util.stream.IntStream;

/** A stand-in for the accounts database: a fixed list of accounts with made-up tasks. */
public final class SampleAccounts implements DigestActivities {
  private final List<String> accounts;

  public SampleAccounts(int count) {
    this.accounts = IntStream.rangeClosed(1, count).mapToObj(i -> String.format("account-%03d", i)).toList();
  }

  @Override
  public List<String> activeAccounts() {
    return accounts;
  }

  @Override
  public String renderDigest(String accountId) {
    int tasks = Math.floorMod(accountId.hashCode(), 7);
    return "Good morning " + accountId + ": " + tasks + " open tasks, " + (tasks * 3 % 5) + " new notifications.";
  }
}
