package io.flinkjobrunner.service.state;

import java.util.Comparator;
import java.util.Objects;

/**
 * One Kubernetes object this service created for a deployment, as recorded in the deployment's inventory.
 *
 * @param apiVersion API version, e.g. {@code v1} or {@code flink.apache.org/v1beta1}
 * @param kind kind, e.g. {@code ConfigMap}
 * @param name object name in the deployment's namespace
 */
public record OwnedResource(String apiVersion, String kind, String name) implements Comparable<OwnedResource> {

    private static final Comparator<OwnedResource> ORDER = Comparator.comparing(OwnedResource::apiVersion)
            .thenComparing(OwnedResource::kind).thenComparing(OwnedResource::name);

    public OwnedResource {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (apiVersion.contains(" ") || kind.contains(" ") || name.contains(" ")) {
            throw new IllegalArgumentException("inventory fields must not contain spaces");
        }
    }

    /** The inventory line: {@code apiVersion kind name}. */
    public String line() {
        return apiVersion + " " + kind + " " + name;
    }

    /** Parses an inventory line written by {@link #line()}. */
    public static OwnedResource parse(String line) {
        String[] fields = line.trim().split(" ");
        if (fields.length != 3) {
            throw new IllegalArgumentException("not an inventory line: '" + line + "'");
        }
        return new OwnedResource(fields[0], fields[1], fields[2]);
    }

    @Override
    public int compareTo(OwnedResource other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return kind + "/" + name;
    }
}
