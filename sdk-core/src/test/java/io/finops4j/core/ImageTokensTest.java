package io.finops4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Image;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** What images add to a reservation: the documented formulas from the image's own size, the worst case without it. */
class ImageTokensTest {

  /** The PNG header of the image in the recorded request behind {@code tools/openai-chat-image.json}: 3008 x 2000. */
  private static final Image KIWI = Image.of(Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAC8AAAAfQCAIAAAA47kAB"),
      "image/png");

  @Test
  void openAiTilesOfTheRecordedImageBoundWhatTheProviderBilled() {
    // 3008 x 2000 -> 2048 x 1362 -> 1155 x 768: 3 x 2 tiles, 85 + 6 x 170 = 1105
    assertThat(ImageTokens.upperBound(KIWI, ModelId.parse("openai/gpt-4o"))).isEqualTo(1105);
    // the recorded call billed 1119 prompt tokens for the image plus "What fruit is in the image?"
    long bound = new TokenCounter().upperBound(Prompt.builder().user("What fruit is in the image?", KIWI).build(),
        ModelId.parse("openai/gpt-4o"));
    assertThat(bound).isGreaterThanOrEqualTo(1119);
  }

  @Test
  void aSmallImageIsOneTile() {
    assertThat(ImageTokens.tiles(new int[] {512, 512}, 85, 170)).isEqualTo(255);
    assertThat(ImageTokens.tiles(new int[] {1024, 1024}, 85, 170)).isEqualTo(765); // 768 x 768: 2 x 2 tiles
  }

  @Test
  void anImageByUrlIsTakenAtTheMostAnImageCanCost() {
    Image url = Image.url("https://example.com/photo.jpg");
    assertThat(ImageTokens.upperBound(url, ModelId.parse("openai/gpt-4o"))).isEqualTo(85 + 8 * 170);
    assertThat(ImageTokens.upperBound(url, ModelId.parse("openai/gpt-4o-mini"))).isEqualTo(2833 + 8 * 5667);
    assertThat(ImageTokens.upperBound(url, ModelId.parse("anthropic/claude-haiku-4-5"))).isEqualTo(1600);
    assertThat(ImageTokens.upperBound(url, ModelId.parse("gemini/gemini-2.5-flash"))).isEqualTo(2064);
  }

  @Test
  void anthropicAndGeminiUseTheirOwnFormulas() {
    // 3008 x 2000 / 750 is over Anthropic's resize limit: 1600
    assertThat(ImageTokens.upperBound(KIWI, ModelId.parse("anthropic/claude-haiku-4-5"))).isEqualTo(1600);
    // Gemini: 4 x 3 tiles of 768, 258 each
    assertThat(ImageTokens.upperBound(KIWI, ModelId.parse("gemini/gemini-2.5-flash"))).isEqualTo(3096);
  }

  @Test
  void jpegAndGifHeadersGiveTheirSize() {
    // SOI, an APP0 segment of 16 bytes, then SOF0 with height 480 and width 640
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0,
        1, 0, 0, (byte) 0xFF, (byte) 0xC0, 0, 17, 8, 0x01, (byte) 0xE0, 0x02, (byte) 0x80, 3};
    assertThat(ImageTokens.size(Base64.getEncoder().encodeToString(jpeg))).containsExactly(640, 480);
    byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 0x40, 0x01, (byte) 0xF0, 0x00};
    assertThat(ImageTokens.size(Base64.getEncoder().encodeToString(gif))).containsExactly(320, 240);
    assertThat(ImageTokens.size(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}))).isNull();
  }
}
