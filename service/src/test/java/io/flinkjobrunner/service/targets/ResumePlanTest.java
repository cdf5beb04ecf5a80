package io.flinkjobrunner.service.targets;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.flinkjobrunner.service.targets.ResumePlan.Action.RESTORE;
import static io.flinkjobrunner.service.targets.ResumePlan.Action.RUN;
import static io.flinkjobrunner.service.targets.ResumePlan.Action.SKIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which steps an attempt after a lost one runs, restores or skips, for step lists declared as the service's targets
 * declare theirs (resolve, download, parse, check-shapes, coverage, compile, planner-check, then deploy or simulate).
 */
class ResumePlanTest {

    private static final StepKey<String> SCOPE = StepKey.of("scope", String.class);
    private static final StepKey<String> INPUTS = StepKey.of("inputs", String.class);
    private static final StepKey<String> SHAPES = StepKey.of("shapes", String.class);
    private static final StepKey<String> READ = StepKey.of("readShapes", String.class);
    private static final StepKey<String> UNIT = StepKey.of("unit", String.class);

    /** What the restorable step below reads: all of it stored. */
    private static final Set<String> STORED = Set.of("compile.stored");

    private final Step resolve = step("resolve", Set.of(), Set.of(SCOPE), true, false);
    private final Step download = step("download", Set.of(), Set.of(INPUTS), false, false);
    private final Step parse = step("parse", Set.of(INPUTS), Set.of(SHAPES), false, false);
    private final Step checkShapes = step("check-shapes", Set.of(SHAPES), Set.of(), false, false);
    private final Step coverage = step("coverage", Set.of(SHAPES), Set.of(READ), false, false);
    private final Step compile = step("compile", Set.of(SHAPES), Set.of(UNIT), false, true);
    private final Step plannerCheck = step("planner-check", Set.of(UNIT), Set.of(), false, false);
    private final Step deploy = step("deploy", Set.of(SCOPE, UNIT), Set.of(), false, false);
    private final Step simulate = step("simulate", Set.of(INPUTS, SHAPES, UNIT), Set.of(), false, false);

    private final List<Step> deployTarget = List.of(resolve, download, parse, checkShapes, coverage, compile,
            plannerCheck, deploy);

    @Test
    void aDeployLostWhileApplyingResolvesAgainRestoresItsUnitAndAppliesAgain() {
        ResumePlan plan = ResumePlan.of(deployTarget, Set.of(0, 1, 2, 3, 4, 5, 6), STORED);

        assertEquals(List.of(RUN, SKIP, SKIP, SKIP, SKIP, RESTORE, SKIP, RUN), plan.actions());
        assertEquals(7, plan.resumesAt());
        assertEquals(List.of("resolve", "deploy"), plan.steps(deployTarget, RUN));
        assertEquals(List.of("compile"), plan.steps(deployTarget, RESTORE));
    }

    @Test
    void aBuildLostInItsPlannerCheckChecksTheRestoredUnit() {
        List<Step> build = deployTarget.subList(0, 7);

        // the planner check needs nothing resolve provides: even resolve is not run again
        assertEquals(List.of(SKIP, SKIP, SKIP, SKIP, SKIP, RESTORE, RUN),
                ResumePlan.of(build, Set.of(0, 1, 2, 3, 4, 5), STORED).actions());
    }

    @Test
    void withoutACompletedRestorableStepTheAttemptStartsOver() {
        // lost while compiling: nothing stored to resume from
        assertTrue(ResumePlan.of(deployTarget, Set.of(0, 1, 2, 3, 4), STORED).startsOver());
        // validate: download, parse, check-shapes, coverage; no step stores what it computed
        assertTrue(ResumePlan.of(List.of(download, parse, checkShapes, coverage), Set.of(0, 1, 2), STORED)
                .startsOver());
        assertTrue(ResumePlan.of(deployTarget, Set.of(), STORED).startsOver());
        assertEquals(0, ResumePlan.fromTheStart(3).resumesAt());
    }

    @Test
    void aRestorableStepWhoseArtifactsAreGoneRunsAgainSoTheAttemptStartsOver() {
        Set<Integer> allButDeploy = Set.of(0, 1, 2, 3, 4, 5, 6);

        assertEquals(List.of(RUN, SKIP, SKIP, SKIP, SKIP, RESTORE, SKIP, RUN),
                ResumePlan.of(deployTarget, allButDeploy, Set.of("compile.stored", "other")).actions());
        assertTrue(ResumePlan.of(deployTarget, allButDeploy, Set.of("other")).startsOver());
    }

    @Test
    void aStepThatWouldFetchAgainBesideTheRestoredUnitMakesTheAttemptStartOver() {
        // simulate reads the downloaded model after the unit: a second download could differ from the first
        List<Step> simulateTarget = List.of(download, parse, checkShapes, coverage, compile, plannerCheck, simulate);

        assertTrue(ResumePlan.of(simulateTarget, Set.of(0, 1, 2, 3, 4, 5), STORED).startsOver());
    }

    @Test
    void stepsCompletedAfterTheFirstOneNotCompletedRunAgain() {
        ResumePlan plan = ResumePlan.of(deployTarget, Set.of(0, 1, 2, 3, 4, 5, 7), STORED);

        assertEquals(List.of(RUN, SKIP, SKIP, SKIP, SKIP, RESTORE, RUN, RUN), plan.actions());
    }

    private static Step step(String name, Set<StepKey<?>> needs, Set<StepKey<?>> provides, boolean repeatable,
                             boolean restorable) {
        return restorable ? new DeclaredStep.Restorable(name, needs, provides)
                : new DeclaredStep(name, needs, provides, repeatable);
    }
}
