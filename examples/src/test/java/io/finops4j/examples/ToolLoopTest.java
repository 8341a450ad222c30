package io.finops4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The tool-loop example as its reader runs it: tool calls round trip, each priced, until the workflow cap stops it. */
class ToolLoopTest {

  @Test
  void theWorkflowCapStopsTheLoopAtItsSixthCall() {
    ToolLoop.Run run = ToolLoop.run(false);

    assertThat(run.calls()).isEqualTo(6);
    assertThat(run.toolCalls()).isGreaterThanOrEqualTo(3); // every other round asks for the weather
    assertThat(run.spentUsd()).isPositive();
    assertThat(run.stoppedBy().cap()).isEqualTo("workflow run-42");
    assertThat(run.stoppedBy().calls()).isEqualTo(6);
    assertThat(run.stoppedBy().spentUsd()).isEqualByComparingTo(run.spentUsd());
  }
}
