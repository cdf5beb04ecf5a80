package io.flinkjobrunner.service.deploy.kubernetes.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels on every object this service creates; they select a deployment's objects when the inventory is lost. */
public final class DeploymentLabels {

    /** Marks objects this service created and may delete. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** Value of {@link #MANAGED_BY}. */
    public static final String MANAGER = "flink-job-runner";
    /** The deployment name an object belongs to. */
    public static final String DEPLOYMENT = "flinkjobrunner.io/deployment";
    /** On the inventory ConfigMap only. */
    public static final String COMPONENT = "app.kubernetes.io/component";

    private DeploymentLabels() {
    }

    /** Labels of an object of {@code target}. */
    public static Map<String, String> of(DeploymentTarget target) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put("app.kubernetes.io/instance", target.deployment());
        labels.put(DEPLOYMENT, target.deployment());
        return labels;
    }

    /** Selector matching every object of a deployment, whichever job applied it. */
    public static Map<String, String> selector(String deployment) {
        return Map.of(MANAGED_BY, MANAGER, DEPLOYMENT, deployment);
    }
}
