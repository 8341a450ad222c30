package io.finops4j.api.spi;

import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What the engine gives a {@link Plugin} while it is built, and takes from it. Valid only during
 * {@link Plugin#plug}; implemented by the engine.
 */
public interface PluginContext {

  /** The {@code finops4j} node; a plug-in reads its own sections, e.g. {@code config().get("ledger")}. */
  ConfigNode config();

  /** The clock the engine runs on (budget windows, timestamps); tests hand the builder a fixed one. */
  Clock clock();

  /**
   * The object of type {@code type} the application handed the builder ({@code component(type, value)}, or a
   * typed setter such as {@code openTelemetry(...)}, {@code meterRegistry(...)}, {@code ledgerDataSource(...)}),
   * looked up by exactly that type; empty when none was given. Components no plug-in asks for are reported at
   * WARN by {@code build()}, since the module that would use them is likely missing.
   */
  <T> Optional<T> component(Class<T> type);

  /**
   * Adds a listener of every call that runs before the application's listeners: telemetry's, so that the call's
   * span is current while the others run.
   */
  void listenFirst(CallEventListener.Factory factory);

  /**
   * Adds a listener of every call that runs after the application's listeners: the ledger's, which records the
   * call once everyone else has seen it.
   */
  void listenLast(CallEventListener.Factory factory);

  /** Closes {@code resource} when the {@code Llm} is closed, after the engine's own resources, in plug-in order. */
  void closeOnClose(AutoCloseable resource);

  /**
   * Wraps each task that {@code completeAsync} and the pull {@code stream} hand to the engine's executor, so that
   * what the caller's thread carries reaches the call (telemetry binds the caller's OpenTelemetry context). The
   * wrappers of several plug-ins apply in plug-in order.
   */
  void wrapAsyncTasks(UnaryOperator<Runnable> wrapper);
}
