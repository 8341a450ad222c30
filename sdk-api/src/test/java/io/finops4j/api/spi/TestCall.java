package io.finops4j.api.spi;

import io.finops4j.api.Attempt;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Prompt;
import io.finops4j.api.Route;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The one {@link CallContext} of the module tests: a call as the engine builds it, with settable parts, that
 * records every typed event fired on it (and forwards each to the listener under test, if any). Shared by every
 * module's tests through the {@code finops4j-api} test-jar, so that what a module fires and what another reads
 * are checked against the same contract.
 *
 * <pre>{@code
 * TestCall call = TestCall.create().pricing(TestCall.prices(Map.of(MINI, ModelPrice.of("0.25", "2.00"))));
 * interceptor.intercept(call.chain(request, (r, c) -> completion));
 * assertThat(call.events(CapCheck.class)).singleElement().satisfies(...);
 * }</pre>
 */
public class TestCall implements CallContext {

  private static final AtomicLong IDS = new AtomicLong();

  /** One typed event as fired: its method name and its value (a {@link Route}, a {@link CacheLookup}, ...). */
  public record Event(String name, Object value) { }

  /** A threshold crossing, as recorded. */
  public record Threshold(BudgetView.BudgetUsage usage, double threshold) { }

  /** An attempt start, as recorded. */
  public record AttemptStart(CompletionRequest request, ModelId model, URI server) { }

  /** An attempt end, as recorded. */
  public record AttemptEnd(Attempt attempt, URI server) { }

  private final String callId;
  private Clock clock = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
  private Pricing pricing;
  private TokenEstimator tokens;
  private BudgetView budgets = BudgetView.NONE;
  private Route route;
  private Llm.TextListener textListener;
  private final List<Attempt> attempts = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private CallEventListener forward = CallEventListener.NONE;
  private final Recorder recorder = new Recorder();

  /** A call with the id {@code callId}; subclass to break a part on purpose (a context that throws). */
  protected TestCall(String callId) {
    this.callId = callId;
  }

  /** A call with a fresh id ({@code call-1}, {@code call-2}, ...). */
  public static TestCall create() {
    return new TestCall("call-" + IDS.incrementAndGet());
  }

  /** A call with the id {@code callId}. */
  public static TestCall withId(String callId) {
    return new TestCall(callId);
  }

  /** A price table of version {@code test}. */
  public static Pricing prices(Map<ModelId, ModelPrice> table) {
    return prices("test", table);
  }

  /** A price table of one version. */
  public static Pricing prices(String version, Map<ModelId, ModelPrice> table) {
    Map<ModelId, ModelPrice> copy = Map.copyOf(table);
    return new Pricing() {
      @Override public Optional<ModelPrice> find(ModelId model) { return Optional.ofNullable(copy.get(model)); }
      @Override public ModelPrice price(ModelId model) {
        return find(model).orElseThrow(() -> new IllegalArgumentException("no price for " + model));
      }
      @Override public String version() { return version; }
    };
  }

  /** One token per prompt or text character: easy arithmetic. */
  public static final TokenEstimator CHAR_TOKENS = new TokenEstimator() {
    @Override public long upperBound(Prompt prompt, ModelId model) { return prompt.chars(); }
    @Override public long count(Prompt prompt, ModelId model) { return prompt.chars(); }
    @Override public long countText(String text, ModelId model) { return text.length(); }
  };

  public TestCall clock(Clock c) { clock = c; return this; }
  public TestCall pricing(Pricing p) { pricing = p; return this; }
  public TestCall tokens(TokenEstimator t) { tokens = t; return this; }
  public TestCall budgets(BudgetView b) { budgets = b; return this; }
  public TestCall withRoute(Route r) { route = r; return this; }
  public TestCall textListener(Llm.TextListener l) { textListener = l; return this; }

  /** Also hands every event to a listener of {@code factory}, made for this call (e.g. telemetry under test). */
  public TestCall listenedBy(CallEventListener.Factory factory) {
    forward = factory.create(this);
    return this;
  }

  /** A chain whose end plays the rest of the pipeline with {@code rest}. */
  public Interceptor.Chain chain(CompletionRequest request,
      BiFunction<CompletionRequest, CallContext, Completion> rest) {
    return new Interceptor.Chain() {
      @Override public CompletionRequest request() { return request; }
      @Override public CallContext context() { return TestCall.this; }
      @Override public Completion proceed(CompletionRequest next) { return rest.apply(next, TestCall.this); }
    };
  }

  /**
   * Runs {@code interceptor} as the engine does: {@code callStart}, the interceptor over {@code rest}, then
   * {@code callEnd} or {@code callFailed} (with a {@code null} record: the engine builds it, not a module).
   */
  public Completion run(Interceptor interceptor, CompletionRequest request,
      BiFunction<CompletionRequest, CallContext, Completion> rest) {
    recorder.callStart(this, request);
    Completion c;
    try {
      c = interceptor.intercept(chain(request, rest));
    } catch (RuntimeException e) {
      recorder.callFailed(this, e, null);
      throw e;
    }
    recorder.callEnd(this, c, null);
    return c;
  }

  /** Every event fired so far, in order. */
  public List<Event> events() {
    return List.copyOf(events);
  }

  /** The names of the events fired so far, in order ({@code routeSelected}, {@code cacheLookup}, ...). */
  public List<String> eventNames() {
    return events.stream().map(Event::name).toList();
  }

  /** The values of the events of one type, in order (e.g. {@code CapCheck.class}, {@code Threshold.class}). */
  public <T> List<T> events(Class<T> type) {
    return events.stream().map(Event::value).filter(type::isInstance).map(type::cast).toList();
  }

  @Override public String callId() { return callId; }
  @Override public Clock clock() { return clock; }
  @Override public long startNanos() { return 0; }

  @Override
  public Pricing pricing() {
    if (pricing == null) {
      throw new UnsupportedOperationException("this test gave the call no price table");
    }
    return pricing;
  }

  @Override
  public TokenEstimator tokens() {
    if (tokens == null) {
      throw new UnsupportedOperationException("this test gave the call no token estimator");
    }
    return tokens;
  }

  @Override public BudgetView budgets() { return budgets; }
  @Override public Route route() { return route; }
  @Override public void route(Route r) { route = r; }
  @Override public Llm.TextListener textListener() { return textListener; }
  @Override public List<Attempt> attempts() { return List.copyOf(attempts); }
  @Override public void addAttempt(Attempt a) { attempts.add(a); }
  @Override public CallEventListener listener() { return recorder; }

  /** Records each event, then forwards it. */
  private final class Recorder extends CallEventListener {
    private void record(String name, Object value) {
      events.add(new Event(name, value));
    }

    @Override public void callStart(CallContext call, CompletionRequest request) {
      record("callStart", request);
      forward.callStart(call, request);
    }

    @Override public void routeSelected(CallContext call, Route route) {
      record("routeSelected", route);
      forward.routeSelected(call, route);
    }

    @Override public void cacheLookup(CallContext call, CacheLookup lookup) {
      record("cacheLookup", lookup);
      forward.cacheLookup(call, lookup);
    }

    @Override public void capChecked(CallContext call, CapCheck check) {
      record("capChecked", check);
      forward.capChecked(call, check);
    }

    @Override public void budgetReserved(CallContext call, List<BudgetView.BudgetUsage> usages) {
      for (BudgetView.BudgetUsage u : usages) {
        record("budgetReserved", u); // one recorded event per budget: tests read them by type
      }
      forward.budgetReserved(call, usages);
    }

    @Override public void budgetOvershoot(CallContext call, BudgetOvershoot overshoot) {
      record("budgetOvershoot", overshoot);
      forward.budgetOvershoot(call, overshoot);
    }

    @Override public void thresholdCrossed(CallContext call, BudgetView.BudgetUsage usage, double threshold) {
      record("thresholdCrossed", new Threshold(usage, threshold));
      forward.thresholdCrossed(call, usage, threshold);
    }

    @Override public void attemptStart(CallContext call, CompletionRequest request, ModelId model, URI server) {
      record("attemptStart", new AttemptStart(request, model, server));
      forward.attemptStart(call, request, model, server);
    }

    @Override public void attemptEnd(CallContext call, Attempt attempt, URI server) {
      record("attemptEnd", new AttemptEnd(attempt, server));
      forward.attemptEnd(call, attempt, server);
    }

    @Override public void callEnd(CallContext call, Completion completion, CallRecord record) {
      record("callEnd", completion);
      forward.callEnd(call, completion, record);
    }

    @Override public void callFailed(CallContext call, RuntimeException error, CallRecord record) {
      record("callFailed", error);
      forward.callFailed(call, error, record);
    }
  }
}
