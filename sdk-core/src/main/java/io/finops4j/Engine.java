package io.finops4j;

import io.finops4j.api.Attribution;
import io.finops4j.api.BatchHandle;
import io.finops4j.api.BatchItem;
import io.finops4j.batch.BatchEngine;
import io.finops4j.batch.ItemCalls;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.CompletionStream;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.core.LivePrices;
import io.finops4j.core.TokenCounter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Llm} that {@link Finops4j} builds: runs the interceptor chain and publishes one record per call. */
final class Engine implements Llm {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  /** Stripes of the call sequence (a power of two): more than the cores that call at once, mostly. */
  private static final int ID_STRIPES = 16;
  private static final int ID_PAD = 16;

  final Clock clock;
  final LivePrices prices;
  final TokenCounter tokens;
  final BudgetView budgets;
  private final List<Interceptor> interceptors;
  /** Telemetry first (its span is current while the others run), then the builder's, the ledger last. */
  private final CallEventListener.Factory[] listeners;
  /** Set by close(): later calls are refused; calls already running finish and are recorded. */
  private volatile boolean closed;
  private final Map<String, ProviderClient> providers;
  private final List<AutoCloseable> closeables;
  private final ExecutorService executor;
  private final boolean ownsExecutor;
  /** What the plug-ins wrap each async task in (telemetry: the caller's OpenTelemetry context). */
  private final UnaryOperator<Runnable> contextPropagation;
  /** The instance part of every call id, in ISO-8859-1 (hex digits and a dash). */
  private final byte[] idPrefix;
  /**
   * The calls' sequence, striped by thread, {@link #ID_PAD} longs (128 bytes) apart: with one shared counter every
   * call wrote a cache line that then moved between cores. Stripe {@code s}'s n-th id is {@code n * ID_STRIPES + s}.
   */
  private final AtomicLongArray sequences = new AtomicLongArray(ID_STRIPES * ID_PAD);
  /** Fetches the price feed now (a no-op without one); set by the builder, for tests. */
  Runnable priceRefresh = () -> { };

  void refreshPrices() {
    priceRefresh.run();
  }

  /** Set once by the builder right after construction; null only while building. */
  private volatile BatchEngine batches;

  Engine(Finops4j.Builder b, LivePrices prices, TokenCounter tokens, List<CallEventListener.Factory> listeners,
      List<Interceptor> interceptors, Map<String, ProviderClient> providers, List<AutoCloseable> closeables,
      BudgetView budgets, UnaryOperator<Runnable> contextPropagation) {
    this.clock = b.clock;
    this.prices = prices;
    this.tokens = tokens;
    this.budgets = budgets;
    this.interceptors = List.copyOf(interceptors);
    this.listeners = listeners.toArray(new CallEventListener.Factory[0]);
    this.providers = Map.copyOf(providers);
    this.closeables = List.copyOf(closeables);
    this.executor = b.executor != null ? b.executor : Finops4j.defaultExecutor();
    this.ownsExecutor = b.executor == null;
    this.contextPropagation = contextPropagation;
    // Ids unique across instances without a coordinator: a random instance part and a sequence.
    byte[] r = new byte[6];
    new SecureRandom().nextBytes(r);
    StringBuilder p = new StringBuilder(14);
    for (byte x : r) {
      p.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    this.idPrefix = p.append('-').toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Override
  public Completion complete(CompletionRequest request) {
    return run(request, null);
  }

  @Override
  public CompletableFuture<Completion> completeAsync(CompletionRequest request) {
    CompletableFuture<Completion> future = new CompletableFuture<>();
    // the request's attribution was taken from the caller's scope when it was built; the call runs under it
    Runnable task = () -> {
      try (Attribution.Scope scope = request.attribution().makeCurrent()) {
        future.complete(run(request, null));
      } catch (Throwable t) {
        future.completeExceptionally(t);
      }
    };
    executor.execute(contextPropagation.apply(task));
    return future;
  }

  @Override
  public Completion stream(CompletionRequest request, TextListener listener) {
    return run(request, java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public CompletionStream stream(String taskType, Prompt prompt, Attribution attribution) {
    CompletionRequest request = CompletionRequest.builder(taskType, prompt).attribution(attribution).build();
    PullStream stream = new PullStream(PullStream.DEFAULT_CAPACITY);
    executor.execute(contextPropagation.apply(() -> {
      try (Attribution.Scope scope = request.attribution().makeCurrent()) {
        stream.run(listener -> stream(request, listener));
      }
    }));
    return stream;
  }

  @Override
  public BatchHandle submitBatch(String taskType, List<BatchItem> items) {
    return batches.submit(taskType, items);
  }

  @Override
  public BatchHandle attachBatch(String batchId) {
    return batches.attach(batchId);
  }

  void batches(BatchEngine batches) {
    this.batches = batches;
  }

  /** The batch engine; tests poll it by hand. */
  BatchEngine batches() {
    return batches;
  }

  /**
   * The instance part and the sequence in base 36, written into one array: the same id as
   * {@code prefix + Long.toString(seq, 36)} without the two intermediate strings (this runs on every call).
   */
  String nextCallId() {
    int stripe = (int) Thread.currentThread().getId() & (ID_STRIPES - 1);
    long seq = sequences.incrementAndGet(stripe * ID_PAD) * ID_STRIPES + stripe;
    int digits = 1;
    for (long v = seq; v >= 36; v /= 36) {
      digits++;
    }
    byte[] id = Arrays.copyOf(idPrefix, idPrefix.length + digits);
    for (int i = id.length - 1; i >= idPrefix.length; i--) {
      id[i] = (byte) Character.forDigit((int) (seq % 36), 36);
      seq /= 36;
    }
    return new String(id, StandardCharsets.ISO_8859_1);
  }

  private Completion run(CompletionRequest request, TextListener listener) {
    if (closed) {
      // refused before anything happens: no provider call, no charge, so no ledger row either
      throw new IllegalStateException("this Llm is closed; the call was not made (close the Llm after the calls"
          + " that use it)");
    }
    Call call = new Call(this, nextCallId(), listener);
    EventDispatch events = events(call);
    events.callStart(call, request);
    Completion completion;
    try {
      completion = RealChain.start(interceptors, request, call);
    } catch (RuntimeException e) {
      events.callFailed(call, e, record(call, events, request, null, e));
      throw e;
    }
    events.callEnd(call, completion, record(call, events, request, completion, null));
    return completion;
  }

  /** The listeners of {@code call}, set on it: from here on a module can fire its events. */
  EventDispatch events(Call call) {
    EventDispatch events = EventDispatch.of(listeners, call);
    call.listener(events);
    return events;
  }

  /** How the batch engine runs each item as a call of this engine. */
  ItemCalls itemCalls() {
    return new ItemCalls() {
      @Override
      public String nextCallId() {
        return Engine.this.nextCallId();
      }

      @Override
      public CallContext start(String callId, CompletionRequest request) {
        Call call = new Call(Engine.this, callId, null);
        events(call).callStart(call, request);
        return call;
      }
    };
  }

  private CallRecord record(Call call, EventDispatch events, CompletionRequest request, Completion c,
      RuntimeException error) {
    CallRecord.Builder r = CallRecord.builder()
        .timestamp(clock.instant())
        .callId(call.callId())
        .attribution(request.attribution())
        .taskType(request.taskType())
        .attempts(call.attempts().size())
        .latencyNanos(System.nanoTime() - call.startNanos())
        .priceVersion(prices.version());
    if (call.route() != null) {
      r.tier(call.route().tier()).model(call.route().primary()).routeReason(call.route().reason());
    }
    if (c != null) {
      return r.outcome(CallRecord.OK).model(c.model()).tier(c.tier()).usage(c.usage()).costUsd(c.costUsd())
          .savedUsd(c.savedUsd()).cacheStatus(c.cached() ? "hit" : events.cacheStatus()).build();
    }
    String outcome = error instanceof BudgetExceededException ? CallRecord.REJECTED_BUDGET
        : error instanceof CostCapExceededException ? CallRecord.REJECTED_CAP : CallRecord.ERROR;
    String type = error instanceof ProviderException pe && pe.errorCode() != null ? pe.errorCode()
        : error.getClass().getSimpleName();
    if (error instanceof ProviderException pe && pe.partialUsage() != null) {
      // a stream broken or cancelled after text was delivered: the provider bills what it generated
      r.usage(pe.partialUsage()).costUsd(pe.partialCostUsd());
    }
    return r.outcome(outcome).errorType(type).build();
  }


  @Override
  public java.util.Optional<io.finops4j.api.ModelPrice> price(io.finops4j.api.ModelId model) {
    return prices.find(model);
  }

  @Override
  public BudgetView budgets() {
    return budgets;
  }

  @Override
  public void close() {
    closed = true;
    if (batches != null) {
      batches.close();
    }
    if (ownsExecutor) {
      executor.shutdown();
    }
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", c.getClass().getName(), e.toString());
      }
    }
  }
}
