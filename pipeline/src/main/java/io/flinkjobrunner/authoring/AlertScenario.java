package io.flinkjobrunner.authoring;

import java.util.List;
import java.util.Objects;

/**
 * One test case for an alert shape: the sensor reports {@code value}; the alert should fire iff
 * {@code expectTrigger}.
 *
 * @param name          e.g. {@code trigger: temperature = 85.0}
 * @param value         the sensor value the scenario entity carries
 * @param expectTrigger whether the condition holds for {@code value}
 */
public record AlertScenario(String name, double value, boolean expectTrigger) {

    public AlertScenario {
        Objects.requireNonNull(name, "name");
    }

    /**
     * The scenarios for {@code condition}: a value that triggers, one that does not (the reference's two, 10 away from
     * the threshold on either side), and the threshold itself, which tells {@code >} from {@code >=}: a shape with the
     * wrong bound passes the first two and fails this one.
     */
    public static List<AlertScenario> forCondition(AlertCondition condition) {
        double t = condition.threshold();
        ComparisonOperator op = condition.operator();
        List<Double> values = switch (op) {
            case GREATER, GREATER_OR_EQUAL -> List.of(t + 10, t - 10, t);
            case LESS, LESS_OR_EQUAL -> List.of(t - 10, t + 10, t);
            case EQUAL -> List.of(t, t + 10, t - 10);
        };
        String sensor = condition.sensor();
        return values.stream().map(v -> {
            boolean fires = op.fires(v, t);
            String kind = v == t && op != ComparisonOperator.EQUAL ? "boundary" : fires ? "trigger" : "no trigger";
            return new AlertScenario(kind + ": " + sensor + " = " + PythonFloat.format(v), v, fires);
        }).toList();
    }
}
