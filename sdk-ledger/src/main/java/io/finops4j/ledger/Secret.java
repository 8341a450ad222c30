package io.finops4j.ledger;

/** A password that prints as {@code ****}, so that no log line or message can carry it by accident. */
final class Secret {

  private final String value;

  Secret(String value) {
    this.value = value;
  }

  String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "****";
  }
}
