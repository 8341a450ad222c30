package io.finops4j.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One request of a batch: its own id (unique within the batch), its prompt and its own attribution, so that each
 * item is budgeted, priced and recorded for whom it was made.
 *
 * @param id the item id: 1 to 64 letters, digits, {@code _} or {@code -} (what both batch APIs accept as a
 *     custom id)
 * @param prompt the messages
 * @param attribution who and what the item is spent on
 */
public record BatchItem(String id, Prompt prompt, Attribution attribution) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public BatchItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    attribution = attribution == null ? Attribution.NONE : attribution;
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("batch item id '" + id + "' must be 1 to 64 letters, digits, '_' or '-'");
    }
  }

  /** An item with the given id, prompt and attribution. */
  public static BatchItem of(String id, Prompt prompt, Attribution attribution) {
    return new BatchItem(id, prompt, attribution);
  }
}
