package io.finops4j.benchmarks;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** The finops4j configuration the benchmarks run: every control on, or some of them (ablation). */
public final class Controls {

  /** Every control on; the other choices of {@link #yaml} turn some off. */
  public static final String ALL = "all";

  /** Extra ledger keys for a trial, e.g. {@code -Dfinops4j.benchmarks.ledger=batch-size=100}; none by default. */
  private static final String LEDGER_EXTRA = System.getProperty("finops4j.benchmarks.ledger", "").replace("=", ": ");

  private static final String NO_TELEMETRY = "  telemetry: { enabled: false }\n";

  /** What an arm can turn on besides routing, the provider call and telemetry (always on). */
  private enum Control { CAP, CACHE, BUDGETS, LEDGER }

  private Controls() {}

  /**
   * Every control on: routing, three budgets that apply to every call (customer, feature, team; high enough never
   * to reject during a run), a per-request cost cap, the exact cache, telemetry (always on) and the JSONL ledger at
   * {@code ledger}; the exact cache is bounded at 16 MB, so a run of misses fills it early and every later miss
   * pays for an eviction, as in a long-running service; {@code baseUrl} is the OpenAI endpoint ({@code ""} for the
   * default). {@code controls} is {@code all}, {@code no-cache}, {@code no-budgets}, {@code no-ledger},
   * {@code second-request} (every control, the cache storing an answer on its second request), {@code always-store}
   * (every control, the cache storing every answer, as before admission {@code auto} became the default),
   * {@code routing-only} (telemetry and the provider call only), {@code no-telemetry} (routing only, telemetry
   * turned off: the path with nothing on it), {@code all-no-telemetry} (every control, telemetry off), or
   * {@code only-} and one or more of {@code cap}, {@code cache}, {@code budgets}, {@code ledger} joined by {@code +}
   * (routing only plus those controls: {@code only-ledger}, {@code only-budgets+ledger}).
   */
  public static String yaml(String baseUrl, Path ledger, String controls) {
    Set<Control> all = EnumSet.allOf(Control.class);
    return switch (controls) {
      case ALL -> yaml(baseUrl, ledger, all, "");
      case "no-cache" -> yaml(baseUrl, ledger, without(Control.CACHE), "");
      case "no-budgets" -> yaml(baseUrl, ledger, without(Control.BUDGETS), "");
      case "no-ledger" -> yaml(baseUrl, ledger, without(Control.LEDGER), "");
      case "second-request" -> yaml(baseUrl, ledger, all, ", admission: second-request");
      case "always-store" -> yaml(baseUrl, ledger, all, ", admission: always");
      case "routing-only" -> yaml(baseUrl, ledger, EnumSet.noneOf(Control.class), "");
      case "no-telemetry" -> yaml(baseUrl, ledger, EnumSet.noneOf(Control.class), "") + NO_TELEMETRY;
      case "all-no-telemetry" -> yaml(baseUrl, ledger, all, "") + NO_TELEMETRY;
      default -> yaml(baseUrl, ledger, only(controls), "");
    };
  }

  /**
   * The configuration with the controls {@code on}, each section written only when its control is on (an arm is
   * made by leaving sections out, not by cutting them from a whole: until session 20 {@code no-budgets} cut the cache's
   * bound along with the budgets); {@code admission} follows the cache's bound.
   */
  private static String yaml(String baseUrl, Path ledger, Set<Control> on, String admission) {
    StringBuilder y = new StringBuilder()
        .append("finops4j:\n")
        .append("  providers:\n")
        .append("    openai: { api-key: sk-benchmark")
        .append(baseUrl.isEmpty() ? "" : ", base-url: \"" + baseUrl + "\"").append(" }\n")
        .append("  tiers:\n")
        .append("    small: [openai/gpt-5-mini]\n")
        .append("  tasks:\n")
        .append("    classification: { tier: small, max-output-tokens: 50")
        .append(on.contains(Control.CAP) ? ", max-cost-per-request: 0.01" : "")
        .append(on.contains(Control.CACHE) ? ", cache: { ttl: 10m }" : "").append(" }\n");
    if (on.contains(Control.BUDGETS)) {
      y.append("  budgets:\n")
          .append("    - { scope: customer, limit: 1000000, period: day, alert-at: [0.8] }\n")
          .append("    - { scope: feature, limit: 1000000, period: day }\n")
          .append("    - { scope: team, limit: 1000000, period: month }\n");
    }
    if (on.contains(Control.CACHE)) {
      y.append("  cache: { max-size: 16MB").append(admission).append(" }\n");
    }
    if (on.contains(Control.LEDGER)) {
      y.append("  ledger: { type: jsonl, path: \"").append(ledger.toString().replace('\\', '/')).append('"')
          .append(LEDGER_EXTRA.isEmpty() ? "" : ", " + LEDGER_EXTRA).append(" }\n");
    }
    return y.toString();
  }

  private static Set<Control> without(Control off) {
    Set<Control> on = EnumSet.allOf(Control.class);
    on.remove(off);
    return on;
  }

  /** The controls of an {@code only-} arm ({@code only-budgets+ledger}: do they cost more together than alone?). */
  private static Set<Control> only(String controls) {
    if (!controls.startsWith("only-")) {
      throw unknown(controls);
    }
    Set<Control> on = EnumSet.noneOf(Control.class);
    for (String name : controls.substring("only-".length()).split("\\+", -1)) {
      on.add(switch (name) {
        case "cap" -> Control.CAP;
        case "cache" -> Control.CACHE;
        case "budgets" -> Control.BUDGETS;
        case "ledger" -> Control.LEDGER;
        default -> throw unknown(controls);
      });
    }
    return on;
  }

  private static IllegalArgumentException unknown(String controls) {
    return new IllegalArgumentException("controls: all, no-cache, no-budgets, no-ledger, second-request, always-store,"
        + " routing-only, no-telemetry, all-no-telemetry, or only- and one or more of cap, cache, budgets, ledger"
        + " joined by + (only-budgets+ledger); got " + controls);
  }
}
