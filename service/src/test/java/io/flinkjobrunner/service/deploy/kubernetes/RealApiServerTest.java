package io.flinkjobrunner.service.deploy.kubernetes;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against the real API server ({@link RealApiServer}, a parameter of its methods): tagged
 * {@value RealApiServer#TAG}, so {@code -Dgroups=api-server} runs the cluster tests on their own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(RealApiServer.TAG)
@ExtendWith(RealApiServer.Extension.class)
public @interface RealApiServerTest {
}
