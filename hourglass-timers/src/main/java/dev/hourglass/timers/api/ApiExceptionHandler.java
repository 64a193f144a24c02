package dev.hourglass.timers.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowServiceException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every failure into a JSON body of the original's shape ({@link ApiError}); the one place that does. */
@RestControllerAdvice
public class ApiExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(TimerApiException.class)
  ResponseEntity<ApiError> timerApi(TimerApiException e) {
    return respond(e.status(), e.body());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
    return respond(HttpStatus.BAD_REQUEST, ApiError.validation(List.of("body must be a JSON object")));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
    return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
    return error(HttpStatus.METHOD_NOT_ALLOWED, "Cannot " + e.getMethod() + " this path");
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ApiError> noResource(NoResourceFoundException e) {
    return error(HttpStatus.NOT_FOUND, "Cannot " + e.getHttpMethod() + " /" + e.getResourcePath());
  }

  /** The Temporal server could not be reached or refused the call. */
  @ExceptionHandler({StatusRuntimeException.class, WorkflowServiceException.class})
  ResponseEntity<ApiError> server(RuntimeException e) {
    Status.Code code = grpcCode(e);
    if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
      log.atWarn().setCause(e).log("Timer server unavailable");
      return error(HttpStatus.SERVICE_UNAVAILABLE, "The timer server is unavailable; try again");
    }
    log.atError().setCause(e).log("Timer server call failed");
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "The timer server failed: " + e.getMessage());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ApiError> unexpected(Exception e) {
    log.atError().setCause(e).log("Request failed");
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "Internal server error");
  }

  private static Status.Code grpcCode(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status) {
        return status.getStatus().getCode();
      }
    }
    return Status.Code.UNKNOWN;
  }

  private static ResponseEntity<ApiError> error(HttpStatus status, String message) {
    return respond(status, ApiError.of(status.value(), message, status.getReasonPhrase()));
  }

  private static ResponseEntity<ApiError> respond(HttpStatus status, ApiError body) {
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
  }
}
