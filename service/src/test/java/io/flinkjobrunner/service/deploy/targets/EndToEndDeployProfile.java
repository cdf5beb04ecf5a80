package io.flinkjobrunner.service.deploy.targets;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link KubernetesDeployProfile} with the application's own build (download from a loopback server, parse, shapes
 * check, compile with Flink's planner check) instead of the scenario build, and the shipped Flink defaults: no state
 * directory, so the upgrade mode is the default one without it (stateless), as a new user's first plan renders it.
 */
public class EndToEndDeployProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(new KubernetesDeployProfile().getConfigOverrides());
        config.remove("runner.deploy.flink.state-dir");
        config.put("runner.download.allow-hosts", "127.0.0.1");
        config.put("runner.deploy.flink.buffer-timeout", "25ms");
        return config;
    }
}
