package io.flinkjobrunner.service.targets;

import java.util.List;

/**
 * The steps that turn a job's inputs into a checked deployment unit: download, parse, shapes check, coverage report,
 * compile and planner check. They compile with {@link UnitKeys#COMPILE_OPTIONS} when an earlier step put it (the
 * deploy targets put the backend's options, so the unit names the deployment's topics and Kafka) and leave the unit
 * under {@link UnitKeys#UNIT}.
 *
 * <p>One CDI bean implements it; the {@code build}, {@code plan}, {@code deploy} and {@code setup-and-deploy}
 * targets run its steps. Those targets are unavailable (refused at submission) while no implementation exists.
 */
public interface UnitBuild {

    /** The steps, in order; the last one puts {@link UnitKeys#UNIT}. */
    List<Step> steps();
}
