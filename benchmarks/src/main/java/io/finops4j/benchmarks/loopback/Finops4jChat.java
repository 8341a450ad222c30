package io.finops4j.benchmarks.loopback;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.benchmarks.Controls;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * finops4j against the loopback server, with every control on ({@link Controls}: routing, three budgets that apply
 * to every call, a per-request cost cap, the exact cache (every prompt is new, so each call is a miss that is looked
 * up and then stored), telemetry with nothing to report to (no global OpenTelemetry registered, Micrometer's global
 * registry empty: no span, no meters), the JSONL ledger) or all but one.
 */
public final class Finops4jChat implements ChatClient {

  private final Llm llm;
  private final String name;
  private final Attribution attribution = Attribution.builder().customer("acme").feature("ticket-triage")
      .team("support").build();

  /** Every control on. */
  public Finops4jChat(String baseUrl, Path ledger) {
    this(baseUrl, ledger, Controls.ALL);
  }

  /** {@code controls} as {@link Controls#yaml} takes it. */
  public Finops4jChat(String baseUrl, Path ledger, String controls) {
    this.llm = Finops4j.fromConfig(new ByteArrayInputStream(
        Controls.yaml(baseUrl, ledger, controls).getBytes(StandardCharsets.UTF_8)));
    this.name = controls.equals(Controls.ALL) ? "finops4j, every control on" : "finops4j, " + controls;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String complete(String user) {
    return llm.complete("classification", Prompt.builder().system(SYSTEM).user(user).build(), attribution).text();
  }

  /** The library, for the soak run that reads its budgets. */
  public Llm llm() {
    return llm;
  }

  @Override
  public void close() {
    llm.close();
  }
}
