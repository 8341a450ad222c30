package io.finops4j.api.spi;

import java.util.List;

/**
 * A concern module that plugs into the engine when {@code Finops4j.builder().build()} runs, so that
 * {@code finops4j-core} works without it and an application gets it by adding its jar. Telemetry
 * ({@code finops4j-telemetry}) and the ledger ({@code finops4j-ledger}) are plug-ins; {@code finops4j-all} brings
 * both.
 *
 * <p>Found with {@link java.util.ServiceLoader} (a {@code META-INF/services/io.finops4j.api.spi.Plugin} file naming
 * the class, which needs a public no-argument constructor), or handed to {@code Finops4j.Builder.plugin(...)} in
 * code, which replaces a discovered plug-in of the same {@link #name()}. {@link #plug} runs once per
 * {@code build()}, after the core's own configuration is validated: a plug-in reads its sections, takes the
 * application's objects it needs from the context, and contributes listeners, resources to close and an async
 * task wrapper. Nothing of it runs per call except the listeners it contributed.
 *
 * <pre>{@code
 * public final class AuditPlugin implements Plugin {
 *   public String name() { return "audit"; }
 *   public void plug(PluginContext context) {
 *     AuditLog log = AuditLog.fromConfig(context.config().get("audit"));   // finops4j.audit
 *     context.listenLast(CallEventListener.factory(CallEventListener.of(log::append)));
 *     context.closeOnClose(log);
 *   }
 * }
 * }</pre>
 */
public interface Plugin {

  /** The {@link #order()} of telemetry: before every other plug-in, so its span is current while they listen. */
  int TELEMETRY_ORDER = -100;

  /** The {@link #order()} of the ledger: after every other plug-in, so its writer is closed (flushed) last. */
  int LEDGER_ORDER = 100;

  /** A short name, e.g. {@code telemetry}: a plug-in in code replaces a discovered one of the same name. */
  String name();

  /**
   * The top-level keys under {@code finops4j:} this plug-in reads (default: its {@link #name()}); the core accepts
   * them as known keys, and reads none of them itself.
   */
  default List<String> sections() {
    return List.of(name());
  }

  /**
   * Where this plug-in runs among the others: lower first (default 0; ties by name). Its listeners run in this
   * order within their group (see {@link PluginContext#listenFirst}), and its resources are closed in this order,
   * after the engine's own.
   */
  default int order() {
    return 0;
  }

  /** Plugs in: reads configuration and components, and adds listeners and resources through {@code context}. */
  void plug(PluginContext context);
}
