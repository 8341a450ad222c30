package io.finops4j.providers;

import okhttp3.HttpUrl;

/** Joins a configured base URL and a provider's operation path. */
final class Urls {

  private Urls() {}

  /** {@code base} without a trailing slash, then {@code path}; fails naming the base when it is not http(s). */
  static HttpUrl join(String base, String path) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    HttpUrl parsed = HttpUrl.parse(b + path);
    if (parsed == null) {
      throw new IllegalArgumentException("base-url is not an http(s) URL: " + base);
    }
    return parsed;
  }
}
