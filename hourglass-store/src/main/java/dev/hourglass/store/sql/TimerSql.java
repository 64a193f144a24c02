package dev.hourglass.store.sql;

/** Statements on {@code timers}. */
final class TimerSql {
  static final String INSERT_TIMER = """
      INSERT INTO timers (shard_id, timer_id, fire_time, namespace_id, workflow_id, run_id, kind, event_id, attempt, name)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  static final String DELETE_TIMER = "DELETE FROM timers WHERE shard_id = ? AND timer_id = ?";

  /** One window of a shard's timers in (fire_time, timer_id) order, after a cursor. */
  static final String SELECT_TIMERS = """
      SELECT timer_id, fire_time, namespace_id, workflow_id, run_id, kind, event_id, attempt, name FROM timers
      WHERE shard_id = ? AND fire_time < ? AND (fire_time > ? OR (fire_time = ? AND timer_id > ?))
      ORDER BY fire_time, timer_id LIMIT ?""";

  private TimerSql() {}
}
