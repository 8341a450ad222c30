package io.finops4j.api;

/** The base of every exception finops4j throws. All are unchecked. */
public class Finops4jException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public Finops4jException(String message) {
    super(message);
  }

  public Finops4jException(String message, Throwable cause) {
    super(message, cause);
  }
}
