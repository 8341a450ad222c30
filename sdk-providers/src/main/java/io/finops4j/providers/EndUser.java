package io.finops4j.providers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a provider is told about the end user of a call (OpenAI and Azure {@code user}, Anthropic
 * {@code metadata.user_id}), which providers use for abuse monitoring. The id is the attribution's user, else its
 * customer. {@code end-user: hashed} (the default) sends the SHA-256 of that id in hex: stable, so the provider
 * can still tell users apart, but not the id itself (an id that can be guessed, such as an email, can be confirmed
 * by hashing the guess). {@code off} sends nothing, {@code raw} the id as it is.
 */
public enum EndUser {
  OFF, HASHED, RAW;

  /** What goes on the wire for {@code id} (null: nothing). */
  String apply(String id) {
    if (id == null || this == OFF) {
      return null;
    }
    if (this == RAW) {
      return id;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  /** The configuration spelling: {@code off}, {@code hashed}, {@code raw}. */
  String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
