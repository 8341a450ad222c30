package io.finops4j.telemetry;

import io.finops4j.api.ModelId;
import io.finops4j.api.UnknownTaskException;

/**
 * The bounded tag values of one call, shared by the OpenTelemetry and Micrometer metrics: attribution ids already
 * folded by the {@link TagGuard}, models and tiers from configuration, outcomes from a closed set. It is also the
 * key under which each metrics backend caches the instruments and attributes of that combination.
 */
record MetricTags(String task, String tier, String provider, String requestModel, String responseModel,
    String model, String outcome, String cacheStatus, String errorType, String customer, String feature, String team,
    String user, java.net.URI server) {

  /** Qualified model ids, cached: {@code ModelId.qualified()} concatenates on every call. */
  private static final BoundedCache<ModelId, String> QUALIFIED = new BoundedCache<>(1024);

  static MetricTags of(CallFacts f, TagGuard guard) {
    long spend = f.costNanosApprox();
    var a = f.request().attribution();
    ModelId req = f.requestModel();
    ModelId resp = f.responseModel();
    // an unknown task name is whatever the caller typed: never a tag value
    String task = f.error() instanceof UnknownTaskException ? "unknown" : f.request().taskType();
    return new MetricTags(task,
        f.tier() == null ? TelemetryNames.NONE : f.tier(),
        req == null ? TelemetryNames.NONE : TelemetryNames.providerName(req.provider()),
        req == null ? TelemetryNames.NONE : req.model(),
        resp == null ? TelemetryNames.NONE : resp.model(),
        resp == null ? TelemetryNames.NONE : QUALIFIED.get(resp, ModelId::qualified),
        f.outcome(), f.cacheStatus(), f.errorType(),
        guard.tag("customer", a.customer(), spend),
        guard.tag("feature", a.feature(), spend),
        guard.tag("team", a.team(), spend),
        guard.tag("user", a.user(), spend),
        f.server());
  }
}
