package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.ConfigException;
import io.finops4j.api.ModelId;
import io.finops4j.core.PriceCatalog;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * A tier naming a model its provider has retired fails at start-up, naming the tier, model and date; one that
 * retires within 30 days starts with a warning.
 */
class RetiredModelsTest {

  private final PriceCatalog prices = PriceCatalog.bundled();

  private String check(String model, String today) {
    ModelId id = ModelId.parse(model);
    return Finops4j.Builder.retirement("finops4j.tiers.medium", id, prices.price(id), LocalDate.parse(today));
  }

  @Test
  void aRetiredModelFailsAtStartUpFromItsRetirementDay() {
    for (String today : new String[] {"2026-12-03", "2026-11-30"}) {
      assertThatThrownBy(() -> check("anthropic/claude-sonnet-4-5", today))
          .isInstanceOf(ConfigException.class)
          .hasMessage("finops4j.tiers.medium: anthropic/claude-sonnet-4-5 was retired by its provider on 2026-11-30:"
              + " every call to it would fail; route this tier to a current model (the retired model's price stays"
              + " in the table for old ledger rows)");
    }
    assertThat(check("anthropic/claude-sonnet-4-6", "2026-12-03")).isNull();
  }

  @Test
  void aModelRetiringWithinThirtyDaysWarns() {
    assertThat(check("anthropic/claude-sonnet-4-5", "2026-11-29")).isEqualTo("finops4j.tiers.medium:"
        + " anthropic/claude-sonnet-4-5 retires on 2026-11-30, in 1 day; calls to it will fail from then on: move this"
        + " tier to a current model");
    assertThat(check("anthropic/claude-sonnet-4-5", "2026-10-31")).contains("in 30 days");
    assertThat(check("anthropic/claude-sonnet-4-5", "2026-10-30")).isNull();
  }
}
