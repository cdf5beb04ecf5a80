package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Flink reads {@code s3://}, {@code gs://}, … only through a filesystem plugin in {@code /opt/flink/plugins}; without
 * it the JobManager fails at start ("Could not find a file system implementation for scheme 's3'"). The official
 * Flink images ship the plugins in {@code /opt/flink/opt} and copy the ones named in the {@code
 * ENABLE_BUILT_IN_PLUGINS} environment variable ({@code ;}-separated jar names) into the plugin directory at start;
 * this class names the jars the state directories of a deployment need.
 */
public final class FileSystemPlugins {

    /** The environment variable the Flink image's entry point reads. */
    public static final String ENV = "ENABLE_BUILT_IN_PLUGINS";

    /** Scheme → plugin jar prefix (the jar is {@code <prefix>-<flink release>.jar}). */
    private static final Map<String, String> PLUGINS = new LinkedHashMap<>();

    static {
        PLUGINS.put("s3", "flink-s3-fs-presto");
        PLUGINS.put("s3p", "flink-s3-fs-presto");
        PLUGINS.put("s3a", "flink-s3-fs-hadoop");
        PLUGINS.put("gs", "flink-gs-fs-hadoop");
        PLUGINS.put("oss", "flink-oss-fs-hadoop");
        PLUGINS.put("abfs", "flink-azure-fs-hadoop");
        PLUGINS.put("abfss", "flink-azure-fs-hadoop");
        PLUGINS.put("wasb", "flink-azure-fs-hadoop");
        PLUGINS.put("wasbs", "flink-azure-fs-hadoop");
    }

    private FileSystemPlugins() {
    }

    /**
     * The plugin jars (for {@link #ENV}) that {@code directories} need on Flink {@code release}, sorted; empty when
     * every directory is on the local file system.
     *
     * @throws InvalidDeploymentException for a URI that is not one or a scheme no plugin of the image serves
     */
    public static String jarsFor(Collection<String> directories, String release) {
        TreeSet<String> jars = new TreeSet<>();
        for (String directory : directories) {
            String scheme = scheme(directory);
            if (scheme == null || scheme.equals("file")) {
                continue;
            }
            String plugin = PLUGINS.get(scheme);
            if (plugin == null) {
                throw new InvalidDeploymentException("the state directory " + directory + " uses the scheme '"
                        + scheme + "', which the Flink image cannot write (it has plugins for file, "
                        + String.join(", ", PLUGINS.keySet()) + "); use one of those");
            }
            jars.add(plugin + "-" + release + ".jar");
        }
        return String.join(";", jars);
    }

    private static String scheme(String directory) {
        try {
            String scheme = new URI(directory.trim()).getScheme();
            return scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            throw new InvalidDeploymentException("the state directory '" + directory + "' is not a URI: "
                    + e.getMessage());
        }
    }
}
