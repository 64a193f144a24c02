package dev.hourglass.tests.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.Activity;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every execution of the activities of a failover test, by key ("workflowId:step"), with the
 * attempt number the server gave it: a handover that dispatched a task a second time shows as the
 * same attempt number twice. Activities record from inside their execution; static in the test
 * class that uses it, since the SDK instantiates activity implementations it is handed once.
 */
public final class ActivityAttempts {
  private final Map<String, List<Integer>> executions = new ConcurrentHashMap<>();

  /** Records the running activity's attempt under {@code key}; call from inside the activity. */
  public void record(String key) {
    executions.computeIfAbsent(key, ignored -> new CopyOnWriteArrayList<>()).add(Activity.getExecutionContext().getInfo().getAttempt());
  }

  public boolean ran(String key) {
    return executions.containsKey(key);
  }

  /** How many keys ending in {@code suffix} ran at least once. */
  public long ranEndingWith(String suffix) {
    return executions.keySet().stream().filter(key -> key.endsWith(suffix)).count();
  }

  public int keys() {
    return executions.size();
  }

  /** Executions beyond the first of each key: retries. */
  public int retries() {
    return executions.values().stream().mapToInt(attempts -> attempts.size() - 1).sum();
  }

  /** No attempt of any key ran twice, and every attempt is one the retry policy allows. */
  public void assertNoneRanTwice(int maximumAttempts) {
    executions.forEach((key, attempts) -> {
      assertThat(attempts).as("attempts of %s: none ran twice", key).doesNotHaveDuplicates();
      assertThat(attempts).as("attempts of %s: within the retry policy", key).allMatch(attempt -> attempt >= 1 && attempt <= maximumAttempts);
    });
  }

  public void clear() {
    executions.clear();
  }

  @Override
  public String toString() {
    return new TreeMap<>(executions).toString();
  }
}
