package io.flinkjobrunner.shacl;

import java.util.Objects;

/**
 * A part of the shapes graph the batch validation did not evaluate, so a "conforms" verdict does not cover it.
 *
 * @param shape   readable label of the shape
 * @param feature the SHACL feature, e.g. {@code sh:xone} or {@code sh:zeroOrMorePath}
 * @param reason  why it was not evaluated and what that means for the verdict
 */
public record NotValidated(String shape, String feature, String reason) {

    public NotValidated {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(reason, "reason");
    }
}
