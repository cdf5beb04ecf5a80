package io.flinkjobrunner.service.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Settings of the alert-authoring endpoints ({@code /api/...}) under {@code runner.authoring}. */
@ConfigMapping(prefix = "runner.authoring")
public interface AuthoringConfig {

    /**
     * Also run the scenarios through the compiler and the local stream engine (an in-process Kafka broker and Flink
     * MiniCluster, started on first use). Off: only the ShaclSail verdict is reported.
     */
    @WithName("stream-verdict")
    @WithDefault("true")
    boolean streamVerdict();

    /** Longest a scenario job may run on the local engine. */
    @WithDefault("2m")
    Duration timeout();

    /** Shape tests running at the same time on this replica; more are refused with 503 (each runs a Flink job). */
    @WithName("max-concurrent-tests")
    @WithDefault("2")
    int maxConcurrentTests();
}
