package io.finops4j.benchmarks.loopback;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * finops4j with every control on, against the loopback server: routing (task -> tier -> model), three budgets that
 * apply to every call (customer, feature, workflow-free team budget), a per-request cost cap, the exact cache (every
 * prompt is new, so each call is a miss that was looked up and then stored), telemetry (spans and metrics on the
 * global, no-op OpenTelemetry) and the JSONL ledger.
 */
public final class Finops4jChat implements ChatClient {

  private final Llm llm;
  private final Attribution attribution = Attribution.builder().customer("acme").feature("ticket-triage").team("support")
      .build();

  private final String name;

  public Finops4jChat(String baseUrl, Path ledger) {
    this(config(baseUrl, ledger), "finops4j, every control on");
  }

  private Finops4jChat(String yaml, String name) {
    this.llm = Finops4j.fromConfig(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    this.name = name;
  }

  /** finops4j with routing and pricing only (no budgets, cache, cap or ledger): the ablation baseline. */
  public static Finops4jChat bare(String baseUrl) {
    return new Finops4jChat("""
        finops4j:
          providers:
            openai: { api-key: sk-loopback, base-url: "%s" }
          tiers:
            small: [openai/gpt-5-mini]
          tasks:
            classification: { tier: small, max-output-tokens: 50, temperature: 0 }
        """.formatted(baseUrl), "finops4j, routing only");
  }

  /** The YAML of every control on; budgets are high enough never to reject during a run. */
  static String config(String baseUrl, Path ledger) {
    return """
        finops4j:
          providers:
            openai: { api-key: sk-loopback, base-url: "%s" }
          tiers:
            small: [openai/gpt-5-mini]
          tasks:
            classification: { tier: small, max-output-tokens: 50, temperature: 0, max-cost-per-request: 0.01, cache: { ttl: 10m } }
          budgets:
            - { scope: customer, limit: 1000000, period: day, alert-at: [0.8] }
            - { scope: feature, limit: 1000000, period: day }
            - { scope: team, limit: 1000000, period: month }
          ledger: { type: jsonl, path: "%s" }
        """.formatted(baseUrl, ledger.toString().replace('\\', '/'));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String complete(String user) {
    return llm.complete("classification", Prompt.builder().system(SYSTEM).user(user).build(), attribution).text();
  }

  /** The library, for tests and the soak run that read its budgets. */
  public Llm llm() {
    return llm;
  }

  @Override
  public void close() {
    llm.close();
  }
}
