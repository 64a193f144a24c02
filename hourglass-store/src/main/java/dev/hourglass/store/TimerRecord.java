package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ExecutionKey;

/**
 * A durable timer: at {@code fireTimeMillis} the engine is told, and decides from the execution's
 * state whether it still matters. The fields say which timer it is without decoding any blob.
 *
 * @param timerId unique within the shard, allocated by the shard owner
 * @param kind the engine's timer kind code (user timer, activity timeout of a type, retry, ...)
 * @param eventId the event the timer belongs to (timer started, activity or task scheduled)
 * @param attempt the activity or workflow task attempt the timer was set for
 * @param name the user timer id, when there is one; empty otherwise
 */
public record TimerRecord(int shardId, long timerId, long fireTimeMillis, ExecutionKey execution, int kind, long eventId, int attempt, String name) {
  public TimerRecord {
    requireNonNull(execution, "execution is null");
    requireNonNull(name, "name is null");
  }
}
