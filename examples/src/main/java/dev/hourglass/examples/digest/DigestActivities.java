package dev.hourglass.examples.digest;

import io.temporal.activity.ActivityInterface;
import java.util.List;

@ActivityInterface
public interface DigestActivities {
  /** Accounts that get a digest today. */
  List<String> activeAccounts();

  /** The digest of one account: its open tasks and notifications, as the body of an e-mail. */
  String renderDigest(String accountId);
}
