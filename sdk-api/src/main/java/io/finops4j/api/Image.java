package io.finops4j.api;

import java.util.Base64;
import java.util.Objects;

/**
 * An image in a user message, by URL or as bytes with their media type. Its input tokens are priced from the
 * provider's reported usage; before the call the reservation estimates them (OpenAI's tile formula from the
 * image's size when the bytes say it, the largest an image can cost otherwise).
 *
 * <p>{@code toString()} shows neither the URL nor the bytes.
 *
 * @param url an {@code https:} (or {@code data:}) URL, or {@code null} for inline bytes
 * @param base64 the bytes, base64-encoded, or {@code null} for a URL
 * @param mediaType {@code image/png}, {@code image/jpeg}, {@code image/gif} or {@code image/webp}; may be
 *     {@code null} for a URL
 */
public record Image(String url, String base64, String mediaType) {

  public Image {
    if ((url == null) == (base64 == null)) {
      throw new IllegalArgumentException("an image is either a URL or bytes");
    }
    if (base64 != null) {
      Objects.requireNonNull(mediaType, "mediaType (image/png, image/jpeg, image/gif or image/webp)");
    }
  }

  /** An image the provider fetches from {@code url}. */
  public static Image url(String url) {
    return new Image(Objects.requireNonNull(url, "url"), null, null);
  }

  /** An image sent inline. */
  public static Image of(byte[] bytes, String mediaType) {
    return new Image(null, Base64.getEncoder().encodeToString(bytes), mediaType);
  }

  /** The image as a {@code data:} URL when inline, else its URL. */
  public String dataUrl() {
    return url != null ? url : "data:" + mediaType + ";base64," + base64;
  }

  @Override
  public String toString() {
    return url != null ? "Image[url]" : "Image[" + mediaType + ", " + base64.length() + " base64 chars]";
  }
}
