package dev.hourglass.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The outcome of a button, kept for the page the browser is sent to next (post, redirect, get):
 * reloading that page never sends the action again. Only the latest few are kept, in memory; a
 * link pasted later simply shows the page without the outcome.
 */
final class Flashes {
  private static final int CAPACITY = 256;

  private final Map<String, WorkflowActions.Outcome> outcomes = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, WorkflowActions.Outcome> eldest) {
      return size() > CAPACITY;
    }
  };

  /** @return the key to put in the next page's URL */
  synchronized String put(WorkflowActions.Outcome outcome) {
    String key = UUID.randomUUID().toString().substring(0, 13);
    outcomes.put(key, outcome);
    return key;
  }

  synchronized Optional<WorkflowActions.Outcome> get(String key) {
    return Optional.ofNullable(outcomes.get(key));
  }
}
