package io.finops4j;

import io.finops4j.api.ConfigException;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.Plugin;
import io.finops4j.api.spi.PluginContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plug-ins of one {@code build()}: those on the class path ({@link ServiceLoader}) with the builder's over them
 * by name, in {@link Plugin#order()}, and what they contributed. Runs once per build; nothing here runs per call.
 */
final class Plugins implements PluginContext {

  private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

  /**
   * The sections of finops4j's own plug-in modules, with the artifact that reads each: a section present without
   * its module fails the build, rather than being ignored (a ledger that silently writes nothing).
   */
  static final Map<String, String> MODULE_SECTIONS = Map.of(
      "telemetry", "io.finops4j:finops4j-telemetry",
      "ledger", "io.finops4j:finops4j-ledger");

  private final ConfigNode root;
  private final Clock clock;
  private final Map<Class<?>, Object> components;
  private final Set<Class<?>> asked = new LinkedHashSet<>();
  final List<CallEventListener.Factory> first = new ArrayList<>();
  final List<CallEventListener.Factory> last = new ArrayList<>();
  final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<UnaryOperator<Runnable>> wrappers = new ArrayList<>();

  private Plugins(ConfigNode root, Clock clock, Map<Class<?>, Object> components) {
    this.root = root;
    this.clock = clock;
    this.components = components;
  }

  /** Discovered plug-ins, replaced by name by {@code inCode}, in {@link Plugin#order()} then name. */
  static List<Plugin> resolve(List<Plugin> inCode) {
    Map<String, Plugin> byName = new LinkedHashMap<>();
    for (Plugin p : ServiceLoader.load(Plugin.class, Plugins.class.getClassLoader())) {
      byName.putIfAbsent(p.name(), p);
    }
    for (Plugin p : inCode) {
      byName.put(p.name(), p);
    }
    List<Plugin> sorted = new ArrayList<>(byName.values());
    sorted.sort(Comparator.comparingInt(Plugin::order).thenComparing(Plugin::name));
    return sorted;
  }

  /** The top-level keys {@code plugins} read: accepted in {@code finops4j} besides the core's own. */
  static List<String> sections(List<Plugin> plugins) {
    List<String> keys = new ArrayList<>();
    plugins.forEach(p -> keys.addAll(p.sections()));
    return keys;
  }

  /**
   * Fails on a section of one of finops4j's plug-in modules that is set while no plug-in reads it, naming the
   * artifact to add.
   */
  static void requireModules(ConfigNode root, List<Plugin> plugins) {
    List<String> read = sections(plugins);
    for (String key : new java.util.TreeSet<>(MODULE_SECTIONS.keySet())) { // the same error first every time
      ConfigNode section = root.get(key);
      if (section.isPresent() && !read.contains(key)) {
        throw section.error("this section needs the " + key + " module, which is not on the classpath; add the"
            + " dependency " + MODULE_SECTIONS.get(key) + " (or io.finops4j:finops4j-all, which brings every module)");
      }
    }
  }

  /** Runs each plug-in in order against the builder's configuration, clock and components. */
  static Plugins plug(List<Plugin> plugins, ConfigNode root, Clock clock, Map<Class<?>, Object> components) {
    Plugins plugged = new Plugins(root, clock, components);
    for (Plugin p : plugins) {
      p.plug(plugged);
    }
    for (Class<?> type : components.keySet()) {
      if (!plugged.asked.contains(type)) {
        LOG.warn("finops4j: no plug-in uses the {} handed to the builder (plug-ins: {}); is the module that would use"
            + " it missing (io.finops4j:finops4j-telemetry for OpenTelemetry, Micrometer and observation objects,"
            + " io.finops4j:finops4j-ledger for a DataSource)?", type.getName(),
            plugins.stream().map(Plugin::name).toList());
      }
    }
    return plugged;
  }

  /** The wrapper of async tasks: every plug-in's, in plug-in order; the task itself without any. */
  UnaryOperator<Runnable> asyncWrapper() {
    return wrappers.stream().reduce((before, w) -> task -> w.apply(before.apply(task)))
        .orElse(UnaryOperator.identity());
  }

  @Override
  public ConfigNode config() {
    return root;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public <T> Optional<T> component(Class<T> type) {
    asked.add(type);
    return Optional.ofNullable(type.cast(components.get(type)));
  }

  @Override
  public void listenFirst(CallEventListener.Factory factory) {
    first.add(java.util.Objects.requireNonNull(factory, "factory"));
  }

  @Override
  public void listenLast(CallEventListener.Factory factory) {
    last.add(java.util.Objects.requireNonNull(factory, "factory"));
  }

  @Override
  public void closeOnClose(AutoCloseable resource) {
    closeables.add(java.util.Objects.requireNonNull(resource, "resource"));
  }

  @Override
  public void wrapAsyncTasks(UnaryOperator<Runnable> wrapper) {
    wrappers.add(java.util.Objects.requireNonNull(wrapper, "wrapper"));
  }
}
