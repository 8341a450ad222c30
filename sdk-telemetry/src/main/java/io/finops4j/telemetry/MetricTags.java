package io.finops4j.telemetry;

import io.finops4j.api.ModelId;
import io.finops4j.api.UnknownTaskException;
import java.util.Objects;

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
  /**
   * The tag set of the last call, handed to the next call with the same values: most calls repeat the one before
   * (same task, model, outcome and tenant), so the set is not rebuilt per call. A race only costs a fresh set.
   */
  private static volatile MetricTags last;

  static MetricTags of(CallFacts f, TagGuard guard) {
    long spend = f.costNanosApprox();
    var a = f.request().attribution();
    ModelId req = f.requestModel();
    ModelId resp = f.responseModel();
    // an unknown task name is whatever the caller typed: never a tag value
    String task = f.error() instanceof UnknownTaskException ? "unknown" : f.request().taskType();
    String tier = f.tier() == null ? TelemetryNames.NONE : f.tier();
    String provider = req == null ? TelemetryNames.NONE : TelemetryNames.providerName(req.provider());
    String requestModel = req == null ? TelemetryNames.NONE : req.model();
    String responseModel = resp == null ? TelemetryNames.NONE : resp.model();
    String model = resp == null ? TelemetryNames.NONE : QUALIFIED.get(resp, ModelId::qualified);
    String customer = guard.tag("customer", a.customer(), spend);
    String feature = guard.tag("feature", a.feature(), spend);
    String team = guard.tag("team", a.team(), spend);
    String user = guard.tag("user", a.user(), spend);
    MetricTags t = last;
    if (t != null && Objects.equals(t.task, task) && Objects.equals(t.tier, tier)
        && Objects.equals(t.provider, provider) && Objects.equals(t.requestModel, requestModel)
        && Objects.equals(t.responseModel, responseModel) && Objects.equals(t.model, model)
        && Objects.equals(t.outcome, f.outcome()) && Objects.equals(t.cacheStatus, f.cacheStatus())
        && Objects.equals(t.errorType, f.errorType()) && Objects.equals(t.customer, customer)
        && Objects.equals(t.feature, feature) && Objects.equals(t.team, team) && Objects.equals(t.user, user)
        && Objects.equals(t.server, f.server())) {
      return t;
    }
    t = new MetricTags(task, tier, provider, requestModel, responseModel, model, f.outcome(), f.cacheStatus(),
        f.errorType(), customer, feature, team, user, f.server());
    last = t;
    return t;
  }

  /**
   * Over the same components as the record's own equals, written out: each backend's instrument cache hashes the
   * set on every call, and the record's own hashCode goes through a method-handle chain. (The generated equals stays:
   * the caches mostly find the very instance of {@link #of}, which they compare by identity first.)
   */
  @Override
  public int hashCode() {
    int h = Objects.hashCode(task);
    h = 31 * h + Objects.hashCode(tier);
    h = 31 * h + Objects.hashCode(provider);
    h = 31 * h + Objects.hashCode(requestModel);
    h = 31 * h + Objects.hashCode(responseModel);
    h = 31 * h + Objects.hashCode(model);
    h = 31 * h + Objects.hashCode(outcome);
    h = 31 * h + Objects.hashCode(cacheStatus);
    h = 31 * h + Objects.hashCode(errorType);
    h = 31 * h + Objects.hashCode(customer);
    h = 31 * h + Objects.hashCode(feature);
    h = 31 * h + Objects.hashCode(team);
    h = 31 * h + Objects.hashCode(user);
    return 31 * h + Objects.hashCode(server);
  }
}
