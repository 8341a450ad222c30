package io.finops4j.ledger;

import com.fasterxml.jackson.core.JsonParser;
import io.finops4j.api.spi.CallRecord;
import java.io.IOException;

/**
 * One ledger row as one line of JSON, in the format the JSONL sink writes and {@link JsonlLedgerReader} reads:
 * for tools that produce or consume ledger lines themselves (reports, tests, imports).
 */
public final class LedgerJson {

  private LedgerJson() {}

  /** {@code record} as one JSON object, without the line break. */
  public static String write(CallRecord record) {
    RowBytes out = new RowBytes(1024);
    RecordJson.write(out, record);
    return out.toString();
  }

  /** The record of one ledger line; fails with {@link IllegalArgumentException} saying what is wrong. */
  public static CallRecord parse(String line) {
    try (JsonParser p = RecordJson.FACTORY.createParser(line)) {
      return RecordJson.read(p);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a ledger row: " + e.getMessage(), e);
    }
  }
}
