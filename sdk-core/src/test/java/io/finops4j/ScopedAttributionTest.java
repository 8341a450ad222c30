package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.routing.RoutingPolicy;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code Attribution.makeCurrent()} as the facade's callers see it. */
class ScopedAttributionTest {

  private static final Attribution ACME = Attribution.builder().customer("acme").feature("chat").workflow("run-1").build();

  private final ScriptedProvider openai = new ScriptedProvider("openai");
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();
  /** What a listener saw as the current attribution while the call was recorded, on the call's thread. */
  private final List<Attribution> currentInListener = new CopyOnWriteArrayList<>();
  private final ManualExecutor executor = new ManualExecutor();

  private Llm llm() {
    return Finops4j.builder()
        .provider(openai)
        .policy(RoutingPolicy.builder().tier("small", "openai/gpt-5-mini").task("classification", "small").build())
        .executor(executor)
        .listener(records::add)
        .listener(r -> currentInListener.add(Attribution.current()))
        .build();
  }

  @Test
  void aCallWithoutAttributionIsSpentOnTheCurrentScope() {
    try (Llm llm = llm()) {
      try (Attribution.Scope s = ACME.makeCurrent()) {
        llm.complete("classification", Prompt.of("where is my invoice?"));
      }
      llm.complete("classification", Prompt.of("outside any scope"));
      llm.complete("classification", Prompt.of("explicit"), Attribution.of("globex", "digest"));
    }
    assertThat(records).extracting(CallRecord::attribution)
        .containsExactly(ACME, Attribution.NONE, Attribution.of("globex", "digest"));
    // the provider's end-user id comes from the scope too
    assertThat(openai.requests.get(0).user()).isEqualTo("acme");
  }

  @Test
  void completeAsyncCapturesTheScopeWhenSubmittedAndRunsUnderIt() throws Exception {
    CompletableFuture<Completion> future;
    try (Llm llm = llm()) {
      try (Attribution.Scope s = ACME.makeCurrent()) {
        future = llm.completeAsync("classification", Prompt.of("later"));
      }
      // the call runs only now, on another thread, after the caller's scope was closed
      assertThat(future).isNotDone();
      Thread worker = new Thread(executor::runAll);
      worker.start();
      worker.join();
      assertThat(future.get().text()).isEqualTo("fine");
    }
    assertThat(records).singleElement().extracting(CallRecord::attribution).isEqualTo(ACME);
    assertThat(currentInListener).containsExactly(ACME);
  }

  /** Runs submitted tasks only when told to, so the test decides when (and on which thread) a call runs. */
  static final class ManualExecutor extends AbstractExecutorService {
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    synchronized void runAll() {
      for (Runnable r; (r = tasks.poll()) != null; ) {
        r.run();
      }
    }

    @Override public synchronized void execute(Runnable command) { tasks.add(command); }
    @Override public void shutdown() {}
    @Override public List<Runnable> shutdownNow() { return List.of(); }
    @Override public boolean isShutdown() { return false; }
    @Override public boolean isTerminated() { return false; }
    @Override public boolean awaitTermination(long timeout, TimeUnit unit) { return true; }
  }
}
