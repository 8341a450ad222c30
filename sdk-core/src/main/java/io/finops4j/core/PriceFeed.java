package io.finops4j.core;

import io.finops4j.api.ConfigException;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.ConfigNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An opt-in price map fetched from a URL, never by default: {@code finops4j.prices: { url, refresh, cache-file }}.
 * The map (LiteLLM's {@code model_prices_and_context_window.json} format) is fetched at start-up and every
 * {@code refresh} after; each good copy is kept in {@code cache-file}. When the URL cannot be read at start-up the
 * last good copy is used, and without one the bundled table alone, each with a WARN; a failed refresh keeps the
 * table in force. The merge is the same as for {@code prices.file}: a rate that moves more than 10x from the bundled
 * one is refused with a warning naming the model.
 */
public final class PriceFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PriceFeed.class);

  /** How often the map is fetched again, by default. */
  public static final Duration DEFAULT_REFRESH = Duration.ofHours(24);

  private final URI url;
  private final Duration refresh;
  private final Path cacheFile;
  private final HttpClient http;
  private ScheduledExecutorService scheduler;

  private PriceFeed(URI url, Duration refresh, Path cacheFile) {
    this.url = url;
    this.refresh = refresh;
    this.cacheFile = cacheFile;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** The feed of a {@code finops4j.prices} node, or null when it names no {@code url}. */
  public static PriceFeed fromConfig(ConfigNode prices) {
    ConfigNode url = prices.get("url");
    if (!url.isPresent()) {
      return null;
    }
    if (prices.has("file")) {
      throw prices.error("give either file or url, not both");
    }
    URI uri;
    try {
      uri = URI.create(url.asString());
    } catch (IllegalArgumentException e) {
      throw url.error("expected an http or https URL");
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
      throw url.error("expected an http or https URL, got scheme '" + uri.getScheme() + "'");
    }
    Duration refresh = prices.get("refresh").asDuration(DEFAULT_REFRESH, Duration.ofMinutes(1), Duration.ofDays(30));
    Path cache = Path.of(prices.get("cache-file").asString("finops4j-prices-cache.json"));
    return new PriceFeed(uri, refresh, cache);
  }

  /**
   * The map at start-up: fetched (and kept in the cache file), else the last good copy, else null (the bundled
   * table alone), with a WARN for each fallback.
   */
  public Map<ModelId, ModelPrice> load() {
    try {
      return fetch();
    } catch (IOException | ConfigException e) {
      if (Files.isRegularFile(cacheFile)) {
        LOG.warn("finops4j: price map {} could not be read ({}); using the last good copy, {}", url, reason(e),
            cacheFile.toAbsolutePath());
        return LiteLlmPriceMap.read(cacheFile);
      }
      LOG.warn("finops4j: price map {} could not be read ({}) and there is no last good copy at {}; pricing with"
          + " the bundled table", url, reason(e), cacheFile.toAbsolutePath());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Fetches the map now and hands it to {@code update}; a failure keeps the table in force (a WARN says why).
   * The scheduler runs this every {@code refresh}.
   */
  public void refresh(Consumer<Map<ModelId, ModelPrice>> update) {
    try {
      update.accept(fetch());
    } catch (IOException | ConfigException e) {
      LOG.warn("finops4j: price map {} could not be refreshed ({}); keeping the prices in force", url, reason(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Refreshes every {@code refresh} on a daemon thread until {@link #close()}. */
  public synchronized void start(Consumer<Map<ModelId, ModelPrice>> update) {
    if (scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "finops4j-price-feed");
        t.setDaemon(true);
        return t;
      });
      long every = refresh.toMillis();
      scheduler.scheduleWithFixedDelay(() -> refresh(update), every, every, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  private Map<ModelId, ModelPrice> fetch() throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET()
        .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw new IOException("HTTP " + response.statusCode());
    }
    // parsed before it is kept: a bad copy must not replace the last good one
    Path incoming = cacheFile.resolveSibling(cacheFile.getFileName() + ".incoming");
    if (cacheFile.toAbsolutePath().getParent() != null) {
      Files.createDirectories(cacheFile.toAbsolutePath().getParent());
    }
    Files.writeString(incoming, response.body(), StandardCharsets.UTF_8);
    try {
      Map<ModelId, ModelPrice> map = LiteLlmPriceMap.read(incoming);
      Files.move(incoming, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return map;
    } finally {
      Files.deleteIfExists(incoming);
    }
  }

  private static String reason(Exception e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
