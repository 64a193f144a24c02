package dev.hourglass.timers.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** {@code POST /timers}'s answer. */
@Schema(name = "TimerCreated")
public record TimerCreated(@Schema(description = "The new timer's id (uuid v4)", example = "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b") String id) {}
