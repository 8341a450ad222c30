package io.finops4j.api.spi;

import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;

/** Estimates prompt tokens before a call, for worst-case costs and for calls whose usage was not reported. */
public interface TokenEstimator {

  /** An upper bound on the input tokens {@code model} will bill for {@code prompt}. Cheap: no tokenization. */
  long upperBound(Prompt prompt, ModelId model);

  /** The best available count: exact for models whose tokenizer is known, else the upper bound. */
  long count(Prompt prompt, ModelId model);

  /** The best available count of a piece of generated text. */
  long countText(String text, ModelId model);
}
