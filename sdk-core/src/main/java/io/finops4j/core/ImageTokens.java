package io.finops4j.core;

import io.finops4j.api.Image;
import io.finops4j.api.ModelId;
import java.util.Base64;
import java.util.Locale;

/**
 * The input tokens an image may cost, for reservations (the provider's reported usage prices the call). The size is
 * read from the image's header when it is sent as bytes (PNG, JPEG, GIF); an image by URL, or one whose header
 * cannot be read, is taken at the most an image can cost on that model, so reservations stay an upper bound.
 *
 * <ul>
 *   <li>OpenAI: the tile formula of https://platform.openai.com/docs/guides/images-vision#calculating-costs (fit
 *       in 2048 x 2048, shortest side scaled to 768, 512-pixel tiles: base + per-tile tokens; 85 + 170 for GPT-4o
 *       and GPT-4.1, which also bounds GPT-5's 70 + 140; 2833 + 5667 for GPT-4o mini; 75 + 150 for o1 and o3) and
 *       the 32-pixel patch formula (at most 1536 patches, times 1.62 for the mini models, 2.46 for the nano models,
 *       1.72 for o4-mini).</li>
 *   <li>Anthropic: width x height / 750, an image being resized to at most about 1.15 megapixels (1600 tokens):
 *       https://platform.claude.com/docs/en/build-with-claude/vision#calculate-image-costs.</li>
 *   <li>Gemini: 258 tokens per 768 x 768 tile (https://ai.google.dev/gemini-api/docs/tokens), but never less than
 *       {@value #GEMINI_FLOOR}: what Gemini bills does not follow the documented figures (a recorded 540 x 360
 *       JPEG, one tile by the formula, billed 1806 image tokens on gemini-2.0-flash; Gemini 3 bills up to 1120 at
 *       its default resolution).</li>
 * </ul>
 */
final class ImageTokens {

  private ImageTokens() {}

  /** The least a Gemini image is reserved at: eight 258-token tiles, above every bill recorded. */
  static final long GEMINI_FLOOR = 8 * 258;

  /** The most input tokens {@code image} may cost on {@code model}. */
  static long upperBound(Image image, ModelId model) {
    int[] size = image.base64() != null ? size(image.base64()) : null;
    String provider = model.provider();
    String name = model.model().toLowerCase(Locale.ROOT);
    if (provider.equals("anthropic") || name.startsWith("claude")) {
      return size == null ? 1600 : Math.min(1600, ((long) size[0] * size[1] + 749) / 750);
    }
    if (provider.equals("gemini") || name.startsWith("gemini")) {
      return size == null ? GEMINI_FLOOR : Math.max(GEMINI_FLOOR, 258L * ceilDiv(size[0], 768) * ceilDiv(size[1], 768));
    }
    double patchMultiplier = name.contains("nano") ? 2.46 : name.startsWith("o4-mini") ? 1.72
        : name.contains("mini") && !name.startsWith("gpt-4o-mini") && !name.startsWith("o") ? 1.62 : 0;
    if (patchMultiplier > 0) {
      return (long) Math.ceil(patches(size) * patchMultiplier);
    }
    if (name.startsWith("gpt-4o-mini")) {
      return tiles(size, 2833, 5667);
    }
    if (name.startsWith("o1") || name.startsWith("o3")) {
      return tiles(size, 75, 150);
    }
    return tiles(size, 85, 170);
  }

  /** High-detail tiles: fit in 2048 x 2048, shortest side down to 768, then 512-pixel tiles; the worst is 8 tiles. */
  static long tiles(int[] size, long base, long perTile) {
    if (size == null) {
      return base + perTile * 8;
    }
    double w = size[0];
    double h = size[1];
    double fit = Math.min(1.0, 2048.0 / Math.max(w, h));
    w *= fit;
    h *= fit;
    double shortest = Math.min(w, h);
    if (shortest > 768) {
      w = w * 768 / shortest;
      h = h * 768 / shortest;
    }
    return base + perTile * ceilDiv((long) Math.floor(w), 512) * ceilDiv((long) Math.floor(h), 512);
  }

  /** 32-pixel patches, scaled down to fit 1536 patches; 1536 when the size is unknown. */
  static long patches(int[] size) {
    if (size == null) {
      return 1536;
    }
    long n = ceilDiv(size[0], 32) * ceilDiv(size[1], 32);
    if (n <= 1536) {
      return n;
    }
    double shrink = Math.sqrt(32.0 * 32 * 1536 / ((double) size[0] * size[1]));
    return Math.min(1536, ceilDiv((long) (size[0] * shrink), 32) * ceilDiv((long) (size[1] * shrink), 32));
  }

  private static long ceilDiv(long a, long b) {
    return Math.max(1, (a + b - 1) / b);
  }

  /** Width and height from a PNG, GIF or JPEG header, or null when they cannot be read. */
  static int[] size(String base64) {
    byte[] b;
    try {
      // a header is near the start: decode at most 64 KB of it (a JPEG's frame header may follow its EXIF block)
      int chars = Math.min(base64.length(), 87_384) & ~3;
      b = Base64.getDecoder().decode(base64.substring(0, chars));
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (b.length >= 24 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return positive(int32(b, 16), int32(b, 20));
    }
    if (b.length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
      return positive((b[6] & 0xFF) | (b[7] & 0xFF) << 8, (b[8] & 0xFF) | (b[9] & 0xFF) << 8);
    }
    if (b.length >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
      int i = 2;
      while (i + 9 < b.length) {
        if ((b[i] & 0xFF) != 0xFF) {
          return null;
        }
        int marker = b[i + 1] & 0xFF;
        int length = (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
        boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
          return positive((b[i + 7] & 0xFF) << 8 | (b[i + 8] & 0xFF), (b[i + 5] & 0xFF) << 8 | (b[i + 6] & 0xFF));
        }
        i += 2 + length;
      }
    }
    return null;
  }

  private static int int32(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  private static int[] positive(int w, int h) {
    return w > 0 && h > 0 ? new int[] {w, h} : null;
  }
}
