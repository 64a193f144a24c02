package dev.hourglass.engine.history;

import io.temporal.api.common.v1.Priority;

/**
 * Temporal's priority inheritance: an activity or child without a priority of its own takes its
 * workflow's, and one with a partial priority takes the workflow's for the fields it leaves unset.
 */
final class Priorities {
  private Priorities() {}

  static Priority merge(Priority workflow, Priority own) {
    Priority.Builder merged = workflow.toBuilder();
    if (own.getPriorityKey() != 0) {
      merged.setPriorityKey(own.getPriorityKey());
    }
    if (!own.getFairnessKey().isEmpty()) {
      merged.setFairnessKey(own.getFairnessKey());
    }
    if (own.getFairnessWeight() != 0) {
      merged.setFairnessWeight(own.getFairnessWeight());
    }
    return merged.build();
  }
}
