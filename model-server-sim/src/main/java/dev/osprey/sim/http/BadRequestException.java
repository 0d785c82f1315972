package dev.osprey.sim.http;

/** A request the client must fix (HTTP 400); retrying the same request cannot help. */
final class BadRequestException extends Exception {

  private static final long serialVersionUID = 1L;

  BadRequestException(String message) {
    super(message);
  }

  BadRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
