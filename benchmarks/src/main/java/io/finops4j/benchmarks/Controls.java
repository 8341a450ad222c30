package io.finops4j.benchmarks;

import java.nio.file.Path;

/** The finops4j configuration the benchmarks run: every control on, or all but one (ablation). */
public final class Controls {

  /** Every control on; the other choices of {@link #yaml} turn one off. */
  public static final String ALL = "all";

  /** Extra ledger keys for a trial, e.g. {@code -Dfinops4j.benchmarks.ledger=batch-size=100}; none by default. */
  private static final String LEDGER_EXTRA = System.getProperty("finops4j.benchmarks.ledger", "").replace("=", ": ");

  private static final String TOKENS = "max-output-tokens: 50";

  private Controls() {}

  /**
   * Every control on: routing, three budgets that apply to every call (customer, feature, team; high enough never
   * to reject during a run), a per-request cost cap, the exact cache, telemetry (always on) and the JSONL ledger at
   * {@code ledger}; the exact cache is bounded at 16 MB, so a run of misses fills it early and every later miss
   * pays for an eviction, as in a long-running service; {@code baseUrl} is the OpenAI endpoint ({@code ""} for the default). {@code controls} is
   * {@code all}, {@code no-cache}, {@code no-budgets}, {@code no-ledger}, {@code second-request} (every control, the
   * cache storing an answer on its second request), {@code always-store} (every control, the cache storing every
   * answer, as before admission {@code auto} became the default), {@code routing-only} (telemetry and the provider
   * call only), or {@code only-cap}, {@code only-cache}, {@code only-budgets}, {@code only-ledger} (routing only plus
   * that one control).
   */
  public static String yaml(String baseUrl, Path ledger, String controls) {
    String all = """
        finops4j:
          providers:
            openai: { api-key: sk-benchmark%s }
          tiers:
            small: [openai/gpt-5-mini]
          tasks:
            classification: { tier: small, max-output-tokens: 50, max-cost-per-request: 0.01, cache: { ttl: 10m } }
          budgets:
            - { scope: customer, limit: 1000000, period: day, alert-at: [0.8] }
            - { scope: feature, limit: 1000000, period: day }
            - { scope: team, limit: 1000000, period: month }
          cache: { max-size: 16MB }
          ledger: { type: jsonl, path: "%s"%s }
        """.formatted(baseUrl.isEmpty() ? "" : ", base-url: \"" + baseUrl + "\"", ledger.toString().replace('\\', '/'),
        LEDGER_EXTRA.isEmpty() ? "" : ", " + LEDGER_EXTRA);
    return switch (controls) {
      case ALL -> all;
      case "no-cache" -> all.replace(", cache: { ttl: 10m }", "").replace("  cache: { max-size: 16MB }\n", "");
      // up to the cache section, which stays (until session 20 this took the cache's 16 MB bound with it)
      case "no-budgets" -> all.replaceAll("(?s)  budgets:.*?(?=  cache)", "");
      case "no-ledger" -> all.replaceAll("  ledger:.*\\n", "");
      case "second-request" -> all.replace("cache: { max-size: 16MB }",
          "cache: { max-size: 16MB, admission: second-request }");
      case "always-store" -> all.replace("cache: { max-size: 16MB }", "cache: { max-size: 16MB, admission: always }");
      case "routing-only" -> routingOnly(all);
      // one control on top of routing only: is each control's cost its own, or do they cost more together?
      case "only-cap" -> routingOnly(all).replace(TOKENS, TOKENS + ", max-cost-per-request: 0.01");
      case "only-cache" -> routingOnly(all).replace(TOKENS, TOKENS + ", cache: { ttl: 10m }")
          + "  cache: { max-size: 16MB }\n";
      case "only-budgets" -> routingOnly(all) + all.replaceAll("(?s).*(  budgets:.*?)  cache.*", "$1");
      case "only-ledger" -> routingOnly(all) + all.replaceAll("(?s).*(  ledger:.*)", "$1");
      default -> throw new IllegalArgumentException(
          "controls: all, no-cache, no-budgets, no-ledger, second-request, always-store, routing-only, only-cap,"
              + " only-cache, only-budgets or only-ledger; got " + controls);
    };
  }

  /** Routing, telemetry and the provider call only: no cap, cache, budgets or ledger. */
  private static String routingOnly(String all) {
    return all.replace(", max-cost-per-request: 0.01, cache: { ttl: 10m }", "").replaceAll("(?s)  budgets:.*", "");
  }
}
