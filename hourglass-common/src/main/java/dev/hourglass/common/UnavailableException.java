package dev.hourglass.common;

/** The server cannot serve the request now (store down, shutting down); retrying later may work. Maps to UNAVAILABLE. */
public class UnavailableException extends HourglassException {
  public UnavailableException(String message) {
    super(message);
  }
}
