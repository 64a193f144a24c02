package dev.hourglass.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.TimerFiredEventAttributes;
import io.temporal.api.history.v1.TimerStartedEventAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerObservationTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void fireLagIsFiredMinusStartedMinusTimeout() {
    List<HistoryEvent> history = List.of(
        event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, T0),
        timerStarted("1", T0.plusMillis(20), Duration.ofSeconds(5)),
        timerFired("1", T0.plusMillis(5_020 + 37)));

    TimerObservation timer = TimerObservation.fromHistory(history).orElseThrow();

    assertThat(timer.due()).isEqualTo(T0.plusMillis(5_020));
    assertThat(timer.fireLag()).isEqualTo(Duration.ofMillis(37));
  }

  @Test
  void timerThatNeverFiredIsNotObserved() {
    assertThat(TimerObservation.fromHistory(List.of(timerStarted("1", T0, Duration.ofSeconds(1))))).isEmpty();
  }

  @Test
  void peakPendingCountsOverlappingTimers() {
    List<TimerObservation> timers = List.of(
        observation(0, 10), observation(1, 11), observation(2, 12), // three overlap in [2, 10)
        observation(20, 30));

    assertThat(TimerObservation.peakPending(timers)).isEqualTo(3);
  }

  @Test
  void timerFiringAsAnotherStartsDoesNotOverlapIt() {
    assertThat(TimerObservation.peakPending(List.of(observation(0, 10), observation(10, 20)))).isEqualTo(1);
  }

  private static TimerObservation observation(long startedMillis, long firedMillis) {
    return new TimerObservation(T0.plusMillis(startedMillis), T0.plusMillis(firedMillis), T0.plusMillis(firedMillis));
  }

  private static HistoryEvent timerStarted(String timerId, Instant at, Duration timeout) {
    return event(EventType.EVENT_TYPE_TIMER_STARTED, at).toBuilder()
        .setTimerStartedEventAttributes(TimerStartedEventAttributes.newBuilder()
            .setTimerId(timerId)
            .setStartToFireTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeout.getSeconds()).setNanos(timeout.getNano())))
        .build();
  }

  private static HistoryEvent timerFired(String timerId, Instant at) {
    return event(EventType.EVENT_TYPE_TIMER_FIRED, at).toBuilder()
        .setTimerFiredEventAttributes(TimerFiredEventAttributes.newBuilder().setTimerId(timerId))
        .build();
  }

  private static HistoryEvent event(EventType type, Instant at) {
    return HistoryEvent.newBuilder()
        .setEventType(type)
        .setEventTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
        .build();
  }
}
