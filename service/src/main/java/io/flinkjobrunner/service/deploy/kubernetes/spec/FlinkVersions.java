package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Flink release this build runs (the root pom's {@code flink.version}, also the base of docker/flink/Dockerfile)
 * and the operator's name for a release ({@code spec.flinkVersion}, e.g. {@code v2_2} for 2.2.1).
 *
 * <p>The operator uses the declared version to pick the configuration file it mounts ({@code config.yaml} from
 * {@code v2_0} on) and its savepoint and REST client behaviour, so the declared version must be the image's.
 */
public final class FlinkVersions {

    private static final Pattern RELEASE = Pattern.compile("([0-9]+)\\.([0-9]+)(\\.[0-9]+)?(-.*)?");
    private static final Properties BUILD = load();

    private FlinkVersions() {
    }

    /** The Flink release of this build and of the image docker/flink/Dockerfile builds, e.g. {@code 2.2.1}. */
    public static String runtime() {
        return BUILD.getProperty("flink.version");
    }

    /** The operator's {@code flinkVersion} for the runtime release, e.g. {@code v2_2}. */
    public static String runtimeOperatorVersion() {
        return operatorVersion(runtime());
    }

    /**
     * The operator's {@code flinkVersion} for {@code release}: {@code v<major>_<minor>}.
     *
     * @throws InvalidDeploymentException when {@code release} is not a Flink release number
     */
    public static String operatorVersion(String release) {
        Matcher matcher = release == null ? null : RELEASE.matcher(release);
        if (matcher == null || !matcher.matches()) {
            throw new InvalidDeploymentException("'" + release + "' is not a Flink release (expected e.g. 2.2.1)");
        }
        return "v" + matcher.group(1) + "_" + matcher.group(2);
    }

    /**
     * Refuses a declared {@code flinkVersion} that is not the image's release.
     *
     * @param declared the operator's {@code flinkVersion} the configuration declares
     * @param imageRelease the Flink release the configured image runs
     * @param custom whether {@code imageRelease} was configured for a custom image (changes the advice only)
     */
    public static void requireMatch(String declared, String imageRelease, boolean custom) {
        String expected = operatorVersion(imageRelease);
        if (expected.equals(declared)) {
            return;
        }
        throw new InvalidDeploymentException("runner.deploy.flink.version=" + declared + " does not match the Flink "
                + "release of the image (" + imageRelease + (custom ? ", runner.deploy.flink.image-flink-version"
                        : ", built from docker/flink/Dockerfile") + "), whose flinkVersion is " + expected
                + ": the operator would mount the wrong configuration file and run the image outside its tested "
                + "matrix. Set runner.deploy.flink.version=" + expected + ", or, for a custom image that runs "
                + "another Flink release, set runner.deploy.flink.image-flink-version to that release");
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = FlinkVersions.class.getResourceAsStream("flink-runtime.properties")) {
            if (in == null) {
                throw new IllegalStateException("flink-runtime.properties is missing from the build");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
