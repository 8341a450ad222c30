package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.ModelId;
import io.finops4j.core.PriceCatalog;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** A tier naming a model its provider has retired starts, with a warning naming the tier, model and date. */
class RetiredModelsTest {

  private final PriceCatalog prices = PriceCatalog.bundled();

  private String warning(String model, String today) {
    ModelId id = ModelId.parse(model);
    return Finops4j.Builder.retired("finops4j.tiers.medium", id, prices.price(id), LocalDate.parse(today));
  }

  @Test
  void aRetiredModelIsNamedFromItsRetirementDay() {
    assertThat(warning("anthropic/claude-sonnet-4-5", "2026-12-03")).isEqualTo("finops4j.tiers.medium: "
        + "anthropic/claude-sonnet-4-5 was retired by its provider on 2026-11-30; calls to it will fail (its price is"
        + " kept for old ledger rows)");
    assertThat(warning("anthropic/claude-sonnet-4-5", "2026-11-30")).isNotNull();
    assertThat(warning("anthropic/claude-sonnet-4-5", "2026-11-29")).isNull();
    assertThat(warning("anthropic/claude-sonnet-4-6", "2026-12-03")).isNull();
  }
}
