package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.ConfigException;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.Plugin;
import io.finops4j.api.spi.PluginContext;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plug-ins as an application sees them: set in code, discovered on the class path, and missing. */
class PluginsTest {

  private static final String POLICY = """
      finops4j:
        providers:
          simulator: { seed: 7 }
        tiers:
          small: [simulator/gpt-5-mini]
        tasks:
          faq: { tier: small, max-output-tokens: 300 }
      """;
  private static final Attribution ACME = Attribution.of("acme", "help");

  /** What the audit plug-in and the application's listener saw, in order. */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  /** The application's object the plug-in takes from the builder by type. */
  record AuditTag(String value) { }

  /** A plug-in of the application's own: reads finops4j.audit, takes a component, contributes each kind of thing. */
  private final class AuditPlugin implements Plugin {
    @Override public String name() { return "audit"; }

    @Override
    public void plug(PluginContext context) {
      ConfigNode audit = context.config().get("audit");
      String prefix = audit.get("prefix").asString();
      String tag = context.component(AuditTag.class).map(AuditTag::value).orElse("untagged");
      context.listenFirst(call -> new CallEventListener() {
        @Override public void callEnd(CallContext c, Completion completion, CallRecord record) {
          seen.add(prefix + " first " + tag);
        }
      });
      context.listenLast(CallEventListener.factory(CallEventListener.of(r -> seen.add(prefix + " last " + r.model()))));
      context.closeOnClose(() -> seen.add(prefix + " closed"));
      context.wrapAsyncTasks(task -> () -> {
        seen.add(prefix + " wrapped");
        task.run();
      });
    }
  }

  private static ConfigNode yaml(String text) {
    return ConfigLoader.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.yaml");
  }

  @Test
  void aPluginSetInCodeReadsItsSectionAndComponentAndContributesListenersResourcesAndTheAsyncWrapper()
      throws Exception {
    Llm llm = Finops4j.builder().plugin(new AuditPlugin()).component(AuditTag.class, new AuditTag("eu"))
        .eventListener(CallEventListener.factory(CallEventListener.of(r -> seen.add("application"))))
        .config(yaml(POLICY + "  audit: { prefix: A }\n"))
        .build();
    llm.complete("faq", Prompt.of("Where is my invoice?"), ACME);
    // telemetry's listener (discovered) runs before all of these; the plug-in's first and last around the app's
    assertThat(seen).containsExactly("A first eu", "application", "A last simulator/gpt-5-mini");

    seen.clear();
    llm.completeAsync("faq", Prompt.of("Where is my parcel?"), ACME).get();
    assertThat(seen).startsWith("A wrapped").contains("application");

    seen.clear();
    llm.close();
    assertThat(seen).containsExactly("A closed");
  }

  @Test
  void aPluginInCodeReplacesTheDiscoveredOneOfTheSameName(@TempDir Path dir) {
    Path file = dir.resolve("ledger.jsonl");
    Plugin mine = new Plugin() {
      @Override public String name() { return "ledger"; }
      @Override public void plug(PluginContext context) {
        seen.add("my ledger reads " + context.config().get("ledger").get("path").asString());
      }
    };
    try (Llm llm = Finops4j.builder().plugin(mine)
        .config(yaml(POLICY + "  ledger: { type: jsonl, path: " + file + " }\n")).build()) {
      llm.complete("faq", Prompt.of("Where is my invoice?"), ACME);
    }
    assertThat(seen).containsExactly("my ledger reads " + file);
    assertThat(Files.exists(file)).as("the discovered ledger plug-in did not run").isFalse();
  }

  @Test
  void aSectionOfAModuleThatIsNotOnTheClassPathFailsTheBuildNamingTheArtifactToAdd() {
    // The ledger module is on this test's class path; a plug-in named "ledger" that reads no section stands in for
    // its absence (compat-tests/core-alone proves it with the jar really absent).
    Plugin absent = new Plugin() {
      @Override public String name() { return "ledger"; }
      @Override public List<String> sections() { return List.of(); }
      @Override public void plug(PluginContext context) { }
    };
    Finops4j.Builder builder = Finops4j.builder().plugin(absent)
        .config(yaml(POLICY + "  ledger: { type: jsonl, path: ledger.jsonl }\n"));

    assertThatThrownBy(builder::build).isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.ledger")
        .hasMessageContaining("needs the ledger module, which is not on the classpath")
        .hasMessageContaining("add the dependency io.finops4j:finops4j-ledger")
        .hasMessageContaining("test.yaml");
  }

  @Test
  void aSectionNoPluginReadsIsAnUnknownKey() {
    assertThatThrownBy(() -> Finops4j.builder().config(yaml(POLICY + "  audit: { prefix: A }\n")).build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("audit");
  }
}
