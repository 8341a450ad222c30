package io.finops4j;

import io.finops4j.api.Attempt;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelId;
import io.finops4j.api.Route;
import io.finops4j.api.spi.BudgetOvershoot;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CacheLookup;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.CapCheck;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each event of one call to every listener of the call, in registration order. A listener that throws is
 * logged and skipped: it never fails the call it observes, nor keeps the others from seeing the event. Loops are
 * written out (no lambda per event) so that dispatch allocates nothing.
 *
 * <p>The engine reads the cache's outcome from here for the ledger row: it is a listener of the call like any other.
 */
final class EventDispatch extends CallEventListener {

  private static final Logger log = LoggerFactory.getLogger(EventDispatch.class);

  private final CallEventListener[] listeners;
  /** What the cache reported, for the call's record; null when the cache step did not run. */
  private CacheLookup cacheLookup;

  private EventDispatch(CallEventListener[] listeners) {
    this.listeners = listeners;
  }

  /** The dispatch of {@code call}'s events to a listener from each of {@code factories}. */
  static EventDispatch of(CallEventListener.Factory[] factories, CallContext call) {
    CallEventListener[] ls = new CallEventListener[factories.length];
    for (int i = 0; i < factories.length; i++) {
      try {
        CallEventListener l = factories[i].create(call);
        ls[i] = l != null ? l : CallEventListener.NONE;
      } catch (RuntimeException e) {
        ls[i] = CallEventListener.NONE;
        log.warn("call event listener factory {} failed on call {}: {}", factories[i].getClass().getName(),
            call.callId(), e.toString());
      }
    }
    return new EventDispatch(ls);
  }

  /** {@code hit}, {@code miss} or {@code off}: the cache's word for the call. */
  String cacheStatus() {
    return cacheLookup == null ? "off" : cacheLookup.status().label();
  }

  private static void failed(CallEventListener l, String event, CallContext call, RuntimeException e) {
    log.warn("call event listener {} failed on {} of call {}: {}", l.getClass().getName(), event, call.callId(),
        e.toString());
  }

  @Override
  public void callStart(CallContext call, CompletionRequest request) {
    for (CallEventListener l : listeners) {
      try {
        l.callStart(call, request);
      } catch (RuntimeException e) {
        failed(l, "callStart", call, e);
      }
    }
  }

  @Override
  public void routeSelected(CallContext call, Route route) {
    for (CallEventListener l : listeners) {
      try {
        l.routeSelected(call, route);
      } catch (RuntimeException e) {
        failed(l, "routeSelected", call, e);
      }
    }
  }

  @Override
  public void cacheLookup(CallContext call, CacheLookup lookup) {
    cacheLookup = lookup;
    for (CallEventListener l : listeners) {
      try {
        l.cacheLookup(call, lookup);
      } catch (RuntimeException e) {
        failed(l, "cacheLookup", call, e);
      }
    }
  }

  @Override
  public void capChecked(CallContext call, CapCheck check) {
    for (CallEventListener l : listeners) {
      try {
        l.capChecked(call, check);
      } catch (RuntimeException e) {
        failed(l, "capChecked", call, e);
      }
    }
  }

  @Override
  public void budgetReserved(CallContext call, java.util.List<BudgetView.BudgetUsage> usages) {
    for (CallEventListener l : listeners) {
      try {
        l.budgetReserved(call, usages);
      } catch (RuntimeException e) {
        failed(l, "budgetReserved", call, e);
      }
    }
  }

  @Override
  public void budgetOvershoot(CallContext call, BudgetOvershoot overshoot) {
    for (CallEventListener l : listeners) {
      try {
        l.budgetOvershoot(call, overshoot);
      } catch (RuntimeException e) {
        failed(l, "budgetOvershoot", call, e);
      }
    }
  }

  @Override
  public void thresholdCrossed(CallContext call, BudgetView.BudgetUsage usage, double threshold) {
    for (CallEventListener l : listeners) {
      try {
        l.thresholdCrossed(call, usage, threshold);
      } catch (RuntimeException e) {
        failed(l, "thresholdCrossed", call, e);
      }
    }
  }

  @Override
  public void attemptStart(CallContext call, CompletionRequest request, ModelId model, URI server) {
    for (CallEventListener l : listeners) {
      try {
        l.attemptStart(call, request, model, server);
      } catch (RuntimeException e) {
        failed(l, "attemptStart", call, e);
      }
    }
  }

  @Override
  public void attemptEnd(CallContext call, Attempt attempt, URI server) {
    for (CallEventListener l : listeners) {
      try {
        l.attemptEnd(call, attempt, server);
      } catch (RuntimeException e) {
        failed(l, "attemptEnd", call, e);
      }
    }
  }

  @Override
  public void callEnd(CallContext call, Completion completion, CallRecord record) {
    for (CallEventListener l : listeners) {
      try {
        l.callEnd(call, completion, record);
      } catch (RuntimeException e) {
        failed(l, "callEnd", call, e);
      }
    }
  }

  @Override
  public void callFailed(CallContext call, RuntimeException error, CallRecord record) {
    for (CallEventListener l : listeners) {
      try {
        l.callFailed(call, error, record);
      } catch (RuntimeException e) {
        failed(l, "callFailed", call, e);
      }
    }
  }
}
