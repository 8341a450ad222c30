package io.finops4j.ledger;

import io.finops4j.api.spi.CallRecord;
import java.io.IOException;
import java.util.List;

/**
 * Where ledger rows end up: a file, a database. Called by one thread only (the {@link LedgerWriter}'s), with
 * batches in order of arrival.
 *
 * <p>A {@code write} either stores the whole batch or throws; after a throw the writer retries the same batch
 * later, so a sink must make a retried batch harmless (the JDBC sink ignores call ids it already has; the JSONL
 * sink cuts a partly written batch off the file). A sink must not keep a reference to the list after returning.
 */
public interface LedgerSink extends AutoCloseable {

  /** Stores {@code records}, all or nothing; throws when they were not stored, so that they are retried. */
  void write(List<CallRecord> records) throws Exception;

  /** A short description for log lines, e.g. {@code jdbc:postgresql://db/app table finops4j_ledger}; no secrets. */
  String describe();

  /** Releases files or connections; the writer calls it once, after its last write. */
  @Override
  default void close() throws IOException {}
}
