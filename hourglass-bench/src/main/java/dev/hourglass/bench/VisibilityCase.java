package dev.hourglass.bench;

import static java.util.Objects.requireNonNull;

/**
 * One measured visibility call: a ListWorkflowExecutions of page {@code page} (1 = the first) or a
 * CountWorkflowExecutions of {@code query}.
 */
record VisibilityCase(String name, String query, boolean count, int page) {
  VisibilityCase {
    requireNonNull(name, "name is null");
    requireNonNull(query, "query is null");
    if (page < 1) {
      throw new IllegalArgumentException("page must be at least 1");
    }
  }

  static VisibilityCase list(String name, String query) {
    return new VisibilityCase(name, query, false, 1);
  }

  static VisibilityCase deepList(String name, String query, int page) {
    return new VisibilityCase(name, query, false, page);
  }

  static VisibilityCase count(String name, String query) {
    return new VisibilityCase(name, query, true, 1);
  }
}
