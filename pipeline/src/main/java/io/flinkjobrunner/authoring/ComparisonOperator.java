package io.flinkjobrunner.authoring;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** The comparison an alert fires on: the alert triggers when {@code value <operator> threshold} holds. */
public enum ComparisonOperator {
    GREATER(">"),
    LESS("<"),
    GREATER_OR_EQUAL(">="),
    LESS_OR_EQUAL("<="),
    EQUAL("==");

    private final String symbol;

    ComparisonOperator(String symbol) {
        this.symbol = symbol;
    }

    /** The symbol used in the API and in messages: {@code >}, {@code <}, {@code >=}, {@code <=}, {@code ==}. */
    @JsonValue
    public String symbol() {
        return symbol;
    }

    public static Optional<ComparisonOperator> ofSymbol(String symbol) {
        return Arrays.stream(values()).filter(o -> o.symbol.equals(symbol)).findFirst();
    }

    /** True if the alert fires for {@code value}. */
    public boolean fires(double value, double threshold) {
        return switch (this) {
            case GREATER -> value > threshold;
            case LESS -> value < threshold;
            case GREATER_OR_EQUAL -> value >= threshold;
            case LESS_OR_EQUAL -> value <= threshold;
            case EQUAL -> value == threshold;
        };
    }
}
