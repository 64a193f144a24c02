package dev.hourglass.timers.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hourglass.timers.workflow.TimerStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The REST API: the original service's {@code POST /timers} and {@code GET /timers/{id}}, plus DELETE and list. */
@RestController
@RequestMapping(path = "/timers", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "timers", description = "Durable webhook timers")
public class TimerController {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final String INVALID_ID = "Validation failed (uuid v4 is expected)";

  private final TimerService timers;

  public TimerController(TimerService timers) {
    this.timers = requireNonNull(timers, "timers is null");
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Schedule a webhook call",
      description = "At now + hours + minutes + seconds the service POSTs an empty body to url + \"/\" + id, retrying on"
          + " anything but 2xx (5 attempts, backoff 1 s doubling). Answers 200 with the new timer's id.",
      requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
          content = @Content(schema = @Schema(implementation = CreateTimerRequest.class))))
  @ApiResponse(responseCode = "200", description = "Scheduled", content = @Content(schema = @Schema(implementation = TimerCreated.class)))
  @ApiResponse(responseCode = "400", description = "Invalid body; each message names its field",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  public TimerCreated create(
      @RequestBody JsonNode body,
      @Parameter(description = "Requests with the same key get the same timer (and id) instead of a second one")
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    TimerRequestValidator.ValidTimerRequest request = TimerRequestValidator.validate(body);
    Optional<String> key = Optional.ofNullable(idempotencyKey).filter(value -> !value.isBlank());
    if (key.isPresent() && key.get().length() > 255) {
      throw TimerApiException.badRequest("Idempotency-Key must be at most 255 characters");
    }
    return new TimerCreated(timers.create(request.delay(), request.url(), key));
  }

  @GetMapping("/{id}")
  @Operation(summary = "A timer's time left and status")
  @ApiResponse(responseCode = "200", description = "The timer", content = @Content(schema = @Schema(implementation = TimerView.class)))
  @ApiResponse(responseCode = "400", description = "The id is not a uuid v4", content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(responseCode = "404", description = "No such timer", content = @Content(schema = @Schema(implementation = ApiError.class)))
  public TimerView get(@PathVariable("id") String id) {
    return timers.get(checkedId(id));
  }

  @DeleteMapping("/{id}")
  @Operation(summary = "Cancel a timer that has not fired")
  @ApiResponse(responseCode = "204", description = "Cancelled (or already cancelled)")
  @ApiResponse(responseCode = "400", description = "The id is not a uuid v4", content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(responseCode = "404", description = "No such timer", content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(responseCode = "409", description = "The timer is firing or has fired", content = @Content(schema = @Schema(implementation = ApiError.class)))
  public ResponseEntity<Void> cancel(@PathVariable("id") String id) {
    timers.cancel(checkedId(id));
    return ResponseEntity.noContent().build();
  }

  @GetMapping
  @Operation(summary = "List timers",
      description = "Lists through the server's workflow list API (ListWorkflowExecutions); answers 501 on a server without it.")
  @ApiResponse(responseCode = "200", description = "Timers, newest first",
      content = @Content(array = @ArraySchema(schema = @Schema(implementation = TimerView.class))))
  @ApiResponse(responseCode = "400", description = "Unknown status or limit out of range", content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(responseCode = "501", description = "The server has no workflow list API", content = @Content(schema = @Schema(implementation = ApiError.class)))
  public List<TimerView> list(
      @Parameter(description = "scheduled, firing, fired, failed or cancelled") @RequestParam(name = "status", required = false) String status,
      @Parameter(description = "At most this many (1 to 1000, default 100)") @RequestParam(name = "limit", required = false) String limit) {
    Optional<TimerStatus> wanted = Optional.empty();
    if (status != null && !status.isBlank()) {
      wanted = TimerStatus.fromWireName(status.trim());
      if (wanted.isEmpty()) {
        throw TimerApiException.badRequest("status must be one of scheduled, firing, fired, failed, cancelled");
      }
    }
    return timers.list(wanted, parseLimit(limit));
  }

  private static int parseLimit(String limit) {
    if (limit == null || limit.isBlank()) {
      return DEFAULT_LIMIT;
    }
    int value;
    try {
      value = Integer.parseInt(limit.trim());
    } catch (NumberFormatException e) {
      throw TimerApiException.badRequest("limit must be an integer number");
    }
    if (value < 1 || value > MAX_LIMIT) {
      throw TimerApiException.badRequest("limit must be between 1 and " + MAX_LIMIT);
    }
    return value;
  }

  private static String checkedId(String id) {
    if (!TimerIds.isUuidV4(id)) {
      throw TimerApiException.badRequest(INVALID_ID);
    }
    return TimerIds.canonical(id);
  }
}
