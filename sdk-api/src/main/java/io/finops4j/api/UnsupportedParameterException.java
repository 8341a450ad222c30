package io.finops4j.api;

/**
 * A request asked a model for a parameter its API does not take (e.g. {@code temperature} on a reasoning model),
 * refused before any network call instead of spending a round trip on the provider's 400. The message names the
 * model, the parameter and the fix; {@code routing: { unsupported-parameters: drop }} leaves such parameters out
 * instead, with one WARN per model.
 */
public class UnsupportedParameterException extends Finops4jException {

  private static final long serialVersionUID = 1L;

  private final ModelId model;
  private final String parameter;

  public UnsupportedParameterException(ModelId model, String parameter, String message) {
    super(message);
    this.model = model;
    this.parameter = parameter;
  }

  /** The model that does not take the parameter. */
  public ModelId model() {
    return model;
  }

  /** The parameter, e.g. {@code temperature}. */
  public String parameter() {
    return parameter;
  }
}
