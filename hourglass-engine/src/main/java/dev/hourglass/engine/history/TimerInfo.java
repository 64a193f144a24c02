package dev.hourglass.engine.history;

/** One pending user timer ({@code Workflow.sleep}, {@code Workflow.newTimer}). */
final class TimerInfo {
  String timerId = "";
  long startedEventId;
  long fireTimeMillis;
  /** The timer row that fires it. */
  long timerRowId;
}
