package io.finops4j.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.ModelId;
import io.finops4j.routing.CircuitBreakers.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {

  private static final ModelId M = ModelId.parse("anthropic/claude-haiku-4-5");
  private final CircuitBreakers breakers = new CircuitBreakers(3, Duration.ofSeconds(30));
  private final Instant t0 = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void opensAfterTheThresholdAndSkipsUntilTheCooldownEnds() {
    breakers.onFailure(M, t0);
    breakers.onFailure(M, t0);
    assertThat(breakers.state(M, t0)).isEqualTo(State.CLOSED);
    assertThat(breakers.tryAcquire(M, t0)).isTrue();
    breakers.onFailure(M, t0);
    assertThat(breakers.state(M, t0)).isEqualTo(State.OPEN);
    assertThat(breakers.tryAcquire(M, t0.plusSeconds(29))).isFalse();
  }

  @Test
  void halfOpenLetsOneTrialThroughAndItsSuccessCloses() {
    open();
    Instant later = t0.plusSeconds(30);
    assertThat(breakers.state(M, later)).isEqualTo(State.HALF_OPEN);
    assertThat(breakers.tryAcquire(M, later)).isTrue();
    assertThat(breakers.tryAcquire(M, later)).as("a second caller while the trial runs").isFalse();
    breakers.onSuccess(M);
    assertThat(breakers.state(M, later)).isEqualTo(State.CLOSED);
    assertThat(breakers.tryAcquire(M, later)).isTrue();
  }

  @Test
  void aFailedTrialOpensForAnotherCooldown() {
    open();
    Instant later = t0.plusSeconds(31);
    assertThat(breakers.tryAcquire(M, later)).isTrue();
    breakers.onFailure(M, later);
    assertThat(breakers.state(M, later.plusSeconds(29))).isEqualTo(State.OPEN);
    assertThat(breakers.state(M, later.plusSeconds(30))).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void aSuccessResetsTheFailureCount() {
    breakers.onFailure(M, t0);
    breakers.onFailure(M, t0);
    breakers.onSuccess(M);
    breakers.onFailure(M, t0);
    assertThat(breakers.state(M, t0)).isEqualTo(State.CLOSED);
  }

  private void open() {
    for (int i = 0; i < 3; i++) {
      breakers.onFailure(M, t0);
    }
  }
}
