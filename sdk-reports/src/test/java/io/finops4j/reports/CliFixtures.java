package io.finops4j.reports;

import io.finops4j.ledger.LedgerJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files for the command-line tests, written from {@link TestLedger}. */
public final class CliFixtures {

  private CliFixtures() {}

  public static Path writeLedger(Path file) throws IOException {
    return Files.write(file, TestLedger.records().stream().map(LedgerJson::write).toList());
  }

  public static Path writePrices(Path file) throws IOException {
    return Files.writeString(file, """
        {"anthropic/claude-haiku-4-5": {"input": 1.00, "cached-input": 0.10, "cache-write": 1.25, "output": 5.00},
         "openai/gpt-5-mini": {"input": "0.25", "output": 2}}
        """);
  }

  public static Path writeExport(Path file) throws IOException {
    return Files.writeString(file, ReconciliationTest.EXPORT);
  }
}
