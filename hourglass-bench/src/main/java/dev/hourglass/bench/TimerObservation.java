package dev.hourglass.bench;

import io.temporal.api.enums.v1.EventType;
import com.google.protobuf.Timestamp;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One timer as the server recorded it: when it was started, when it was due, when it fired, all
 * from the event times in the workflow's history. Measuring from history rather than from the
 * client leaves out the worker's reaction and the result's delivery: what is left is the server's
 * timer queue.
 */
record TimerObservation(Instant started, Instant due, Instant fired) {
  TimerObservation {
    Objects.requireNonNull(started, "started is null");
    Objects.requireNonNull(due, "due is null");
    Objects.requireNonNull(fired, "fired is null");
  }

  /** How late the timer fired; negative if the server fired it early. */
  Duration fireLag() {
    return Duration.between(due, fired);
  }

  /**
   * The first timer in {@code events} that both started and fired; due is the start event's time
   * plus its {@code start_to_fire_timeout}, which is exactly what the workflow asked for.
   */
  static Optional<TimerObservation> fromHistory(List<HistoryEvent> events) {
    HistoryEvent started = null;
    for (HistoryEvent event : events) {
      if (event.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED && started == null) {
        started = event;
      } else if (event.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED && started != null
          && event.getTimerFiredEventAttributes().getTimerId().equals(started.getTimerStartedEventAttributes().getTimerId())) {
        Instant startTime = instant(started.getEventTime());
        com.google.protobuf.Duration timeout = started.getTimerStartedEventAttributes().getStartToFireTimeout();
        Instant due = startTime.plusSeconds(timeout.getSeconds()).plusNanos(timeout.getNanos());
        return Optional.of(new TimerObservation(startTime, due, instant(event.getEventTime())));
      }
    }
    return Optional.empty();
  }

  /**
   * Most timers pending at one instant (started, not yet fired). Sweeps start (+1) and fire (-1)
   * points in time order; at equal times fires come first, so that a timer firing exactly as
   * another starts is not counted as overlapping it. O(n log n).
   */
  static int peakPending(List<TimerObservation> timers) {
    record Point(Instant at, int delta) {}
    List<Point> points = new ArrayList<>(timers.size() * 2);
    for (TimerObservation timer : timers) {
      points.add(new Point(timer.started(), +1));
      points.add(new Point(timer.fired(), -1));
    }
    points.sort(Comparator.comparing(Point::at).thenComparingInt(Point::delta));
    int pending = 0;
    int peak = 0;
    for (Point point : points) {
      pending += point.delta();
      peak = Math.max(peak, pending);
    }
    return peak;
  }

  private static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
