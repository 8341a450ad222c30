package io.finops4j.reports;

/** A ledger or export file that cannot be read: the message names the file, the line and what was wrong. */
public final class LedgerFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LedgerFormatException(String message) {
    super(message);
  }

  public LedgerFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
