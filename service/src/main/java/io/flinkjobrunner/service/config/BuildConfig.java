package io.flinkjobrunner.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Settings of the compiling build under {@code runner.build}. */
@ConfigMapping(prefix = "runner.build")
public interface BuildConfig {

    /**
     * Plan a small built-in unit in the background at start, so the first build's planner check runs warm (seconds
     * instead of tens of seconds in a fresh JVM). Off in tests, where it would only compete for the cores.
     */
    @WithName("planner-warm-up")
    @WithDefault("true")
    boolean plannerWarmUp();
}
