package io.flinkjobrunner.service.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Who runs a job: {@code <node-id>/<incarnation>}. The node id names the replica for people (configured, or the host
 * name: the pod name in Kubernetes); the incarnation is new per process, so every process is a distinct owner. Whether
 * an owner is alive is known from its database session ({@code jobs.ReplicaLiveness}) and its leases, never from its name.
 */
@ApplicationScoped
public class NodeIdentity {

    private final String nodeId;
    private final String owner;

    @Inject
    NodeIdentity(RunnerConfig config) {
        this.nodeId = config.nodeId().filter(s -> !s.isBlank()).orElseGet(NodeIdentity::hostName);
        this.owner = nodeId + "/" + UUID.randomUUID();
    }

    /** Name of this replica. */
    public String nodeId() {
        return nodeId;
    }

    /** Owner tag of jobs claimed by this process. */
    public String owner() {
        return owner;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
