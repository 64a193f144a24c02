package dev.hourglass.timers.workflow;

/**
 * The {@code setDeadline} signal's argument, {@code {"newDeadline": <epoch ms>}} on the wire.
 *
 * @param newDeadline the new deadline in epoch milliseconds; earlier or later than the current one
 */
public record DeadlineChange(long newDeadline) {}
