package io.finops4j.telemetry;

import io.finops4j.api.Attribution;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SLF4J side: one structured {@code key=value} line per call at DEBUG, rejections at INFO, budget threshold
 * events at WARN and other events at INFO. Lines carry ids, models, tokens and money; never a prompt, a completion
 * or a secret (exception messages of finops4j never carry them either).
 */
final class CallLog {

  private static final Logger LOG = LoggerFactory.getLogger("io.finops4j.telemetry");

  void log(CallFacts f) {
    String callId = f.context().callId();
    for (Note e : f.notes()) {
      if (e.threshold()) {
        if (LOG.isWarnEnabled()) {
          LOG.warn("finops4j call={} event={} {}", callId, e.name(), format(e.attributes()));
        }
      } else if (LOG.isInfoEnabled()) {
        LOG.info("finops4j call={} event={} {}", callId, e.name(), format(e.attributes()));
      }
    }
    if (f.rejected() && LOG.isInfoEnabled()) {
      LOG.info("finops4j call={} outcome={} task={}: {}", callId, f.outcome(), f.request().taskType(),
          f.error().getMessage());
    }
    if (LOG.isDebugEnabled()) {
      Attribution a = f.request().attribution();
      LOG.debug("finops4j call={} outcome={} task={} tier={} model={} cache={} input_tokens={} output_tokens={} "
              + "cost_usd={} saved_usd={} estimated={} attempts={} duration_ms={} error_type={} customer={} "
              + "feature={} workflow={} user={} team={}",
          callId, f.outcome(), f.request().taskType(), f.tier(),
          f.responseModel() == null ? null : f.responseModel().qualified(), f.cacheStatus(),
          f.usage().inputTokens(), f.usage().outputTokens(), f.costUsd().toPlainString(),
          f.savedUsd().toPlainString(), f.usage().estimated(), f.context().attempts().size(),
          String.format(java.util.Locale.ROOT, "%.3f", f.durationNanos() / 1e6), f.errorType(), a.customer(),
          a.feature(), a.workflow(), a.user(), a.team());
    }
  }

  void telemetryFailed(String callId, RuntimeException e) {
    LOG.warn("finops4j telemetry failed for call={} (the call itself was not affected): {}", callId, e.toString());
  }

  private static String format(Map<String, String> attributes) {
    StringBuilder s = new StringBuilder();
    new TreeMap<>(attributes).forEach((k, v) -> {
      if (s.length() > 0) {
        s.append(' ');
      }
      s.append(k).append('=').append(v);
    });
    return s.toString();
  }
}
