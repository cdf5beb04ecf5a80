package io.flinkjobrunner.service.deploy;

import io.flinkjobrunner.service.config.DeployConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Picks the backend the deploy targets use: {@code kubernetes} when {@code runner.deploy.kubernetes-enabled=true},
 * otherwise {@code local} (the in-process engine). Every {@link DeploymentBackend} bean is a candidate.
 */
@ApplicationScoped
public class DeploymentBackends {

    /** Name of the Kubernetes backend. */
    public static final String KUBERNETES = "kubernetes";
    /** Name of the local-engine backend. */
    public static final String LOCAL = "local";

    private final DeployConfig config;
    private final Instance<DeploymentBackend> backends;

    @Inject
    DeploymentBackends(DeployConfig config, @Any Instance<DeploymentBackend> backends) {
        this.config = config;
        this.backends = backends;
    }

    /** Name of the backend the configuration selects. */
    public String selected() {
        return config.kubernetesEnabled() ? KUBERNETES : LOCAL;
    }

    /**
     * The backend deploy targets use.
     *
     * @throws IllegalStateException naming the configuration to change when the selected backend is not available
     */
    public DeploymentBackend active() {
        String name = selected();
        return find(name).orElseThrow(() -> new IllegalStateException(KUBERNETES.equals(name)
                ? "the Kubernetes deploy backend is not available in this build"
                : "Kubernetes deploy is not configured (runner.deploy.kubernetes-enabled=false) and this build has "
                        + "no local-engine deploy backend; set runner.deploy.kubernetes-enabled=true to deploy to a "
                        + "cluster"));
    }

    /** The backend named {@code name}, if this build has it. */
    public Optional<DeploymentBackend> find(String name) {
        for (DeploymentBackend backend : backends) {
            if (backend.name().equals(name)) {
                return Optional.of(backend);
            }
        }
        return Optional.empty();
    }

    /** Names of the backends this build has. */
    public List<String> available() {
        List<String> names = new ArrayList<>();
        backends.forEach(b -> names.add(b.name()));
        return names;
    }
}
