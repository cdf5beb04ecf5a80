package io.flinkjobrunner.service.deploy.kubernetes;

import io.flinkjobrunner.service.config.DeployConfig;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Kubernetes clients by kubeconfig context. No context: the service's client (Quarkus configuration, the kubeconfig's
 * current context, or the in-cluster service account). A named context: a client built from the kubeconfig for that
 * context, created once and reused. A context the kubeconfig does not define, or any context while the service has
 * no kubeconfig, is refused with a message that says which contexts exist.
 */
@ApplicationScoped
public class KubernetesClients {

    private static final Logger LOG = Logger.getLogger(KubernetesClients.class);

    private final Instance<KubernetesClient> defaultClient;
    private final Optional<Path> configuredKubeconfig;
    private final Map<String, KubernetesClient> byContext = new ConcurrentHashMap<>();

    @Inject
    KubernetesClients(Instance<KubernetesClient> defaultClient, DeployConfig config) {
        this.defaultClient = defaultClient;
        this.configuredKubeconfig = config.kubeconfig();
    }

    /**
     * The client for {@code kubeContext}.
     *
     * @throws InvalidDeploymentException when the context cannot be used (unknown, or no kubeconfig)
     */
    public KubernetesClient client(Optional<String> kubeContext) {
        if (kubeContext.isEmpty()) {
            return defaultClient.get();
        }
        String context = kubeContext.get();
        KubernetesClient cached = byContext.get(context);
        if (cached != null) {
            return cached;
        }
        synchronized (byContext) {
            return byContext.computeIfAbsent(context, this::create);
        }
    }

    /** Checks that {@code kubeContext} can be used, reading only the kubeconfig file (no cluster contact). */
    public void check(Optional<String> kubeContext) {
        kubeContext.ifPresent(context -> contextsOf(kubeconfig(context), context));
    }

    private KubernetesClient create(String context) {
        File file = kubeconfig(context);
        contextsOf(file, context);
        Config config = Config.fromKubeconfig(context, file);
        LOG.infof("Kubernetes client for context '%s' (%s, API server %s)", context, file, config.getMasterUrl());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private File kubeconfig(String context) {
        Optional<Path> path = configuredKubeconfig.or(KubernetesClients::defaultKubeconfig);
        if (path.isEmpty()) {
            throw new InvalidDeploymentException("context.kubeContext '" + context + "' cannot be used: the service "
                    + "has no kubeconfig (it deploys with its in-cluster service account); omit kubeContext or "
                    + "configure runner.deploy.kubeconfig");
        }
        if (!Files.isRegularFile(path.get())) {
            throw new InvalidDeploymentException("context.kubeContext '" + context + "' cannot be used: the "
                    + "kubeconfig " + path.get() + " does not exist");
        }
        return path.get().toFile();
    }

    private static void contextsOf(File file, String context) {
        List<String> contexts;
        try {
            contexts = KubeConfigUtils.parseConfig(file).getContexts().stream().map(NamedContext::getName).toList();
        } catch (RuntimeException e) {
            throw new InvalidDeploymentException("the kubeconfig " + file + " cannot be read: " + e.getMessage());
        }
        if (!contexts.contains(context)) {
            throw new InvalidDeploymentException("context.kubeContext '" + context + "' is not defined in the "
                    + "kubeconfig " + file + "; available contexts: "
                    + (contexts.isEmpty() ? "(none)" : String.join(", ", contexts)));
        }
    }

    private static Optional<Path> defaultKubeconfig() {
        return Config.getKubeconfigFilenames().stream().map(Path::of).filter(Files::isRegularFile).findFirst();
    }

    @PreDestroy
    void close() {
        byContext.values().forEach(KubernetesClient::close);
        byContext.clear();
    }
}
