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
   * call only), or {@code only-} and one or more of {@code cap}, {@code cache}, {@code budgets}, {@code ledger} joined by
   * {@code +} (routing only plus those controls: {@code only-ledger}, {@code only-budgets+ledger}).
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
      default -> {
        if (controls.startsWith("only-")) {
          yield only(all, controls);
        }
        throw unknown(controls);
      }
    };
  }

  /**
   * Routing only plus the controls named after {@code only-}, joined by {@code +} ({@code only-budgets+ledger}): do
   * the controls cost what they cost one by one, or more together?
   */
  private static String only(String all, String controls) {
    String task = "";
    StringBuilder sections = new StringBuilder();
    for (String control : controls.substring("only-".length()).split("\\+", -1)) {
      switch (control) {
        case "cap" -> task += ", max-cost-per-request: 0.01";
        case "cache" -> {
          task += ", cache: { ttl: 10m }";
          sections.append("  cache: { max-size: 16MB }\n");
        }
        case "budgets" -> sections.append(all.replaceAll("(?s).*(  budgets:.*?)  cache.*", "$1"));
        case "ledger" -> sections.append(all.replaceAll("(?s).*(  ledger:.*)", "$1"));
        default -> throw unknown(controls);
      }
    }
    return routingOnly(all).replace(TOKENS, TOKENS + task) + sections;
  }

  private static IllegalArgumentException unknown(String controls) {
    return new IllegalArgumentException("controls: all, no-cache, no-budgets, no-ledger, second-request, always-store,"
        + " routing-only, or only- and one or more of cap, cache, budgets, ledger joined by + (only-budgets+ledger);"
        + " got " + controls);
  }

  /** Routing, telemetry and the provider call only: no cap, cache, budgets or ledger. */
  private static String routingOnly(String all) {
    return all.replace(", max-cost-per-request: 0.01, cache: { ttl: 10m }", "").replaceAll("(?s)  budgets:.*", "");
  }
}
