package io.finops4j.ledger;

import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.Plugin;
import io.finops4j.api.spi.PluginContext;
import javax.sql.DataSource;

/**
 * Plugs the ledger into every {@code Llm} built while this module is on the class path and
 * {@code finops4j.ledger} is set: a {@link LedgerWriter} that listens last to every call (one row per call, after
 * every other listener saw it) and is closed last, so that {@code Llm.close()} flushes the rows of every call
 * that finished before it. A {@code type: jdbc} section without a {@code url} writes through the
 * {@link DataSource} handed to the builder ({@code ledgerDataSource(...)}, or a Spring application's pool).
 */
public final class LedgerPlugin implements Plugin {

  /** Made by {@link java.util.ServiceLoader}, or by an application that plugs the ledger in by hand. */
  public LedgerPlugin() { }

  @Override
  public String name() {
    return "ledger";
  }

  @Override
  public int order() {
    return LEDGER_ORDER;
  }

  @Override
  public void plug(PluginContext context) {
    LedgerWriter ledger = LedgerWriter.fromConfig(context.config().get(name()),
        context.component(DataSource.class).orElse(null));
    if (ledger != null) {
      context.listenLast(CallEventListener.factory(CallEventListener.of(ledger)));
      context.closeOnClose(ledger);
    }
  }
}
