package io.flinkjobrunner.service.targets;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What steps declare decides whether their target may run, and what they may hand each other at run time. */
class StepOrderTest {

    private static final StepKey<String> SHAPES = StepKey.of("shapes", String.class);
    private static final StepKey<Integer> UNIT = StepKey.of("unit", Integer.class);

    private static Step step(String name, Set<StepKey<?>> needs, Set<StepKey<?>> provides) {
        return new DeclaredStep(name, needs, provides, false);
    }

    private static Target target(Step... steps) {
        return new Target() {
            @Override
            public String name() {
                return "example";
            }

            @Override
            public String description() {
                return "steps under test";
            }

            @Override
            public List<Step> steps() {
                return List.of(steps);
            }
        };
    }

    private final Step parse = step("parse", Set.of(), Set.of(SHAPES));
    private final Step compile = step("compile", Set.of(SHAPES), Set.of(UNIT));
    private final Step deploy = step("deploy", Set.of(SHAPES, UNIT), Set.of());

    @Test
    void aTargetWhoseStepsFindWhatTheyNeedIsAccepted() {
        assertDoesNotThrow(() -> StepOrder.check(target(parse, compile, deploy)));
        assertDoesNotThrow(() -> StepOrder.check(target()));
    }

    @Test
    void aStepBeforeItsProviderIsRefusedNamingTargetStepAndValues() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StepOrder.check(target(parse, deploy, compile)));
        assertEquals("target 'example': step 2 (deploy) needs [unit], which no earlier step provides "
                + "(provided before it: [shapes])", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> StepOrder.check(target(compile, parse)));
        assertEquals("target 'example': step 1 (compile) needs [shapes], which no earlier step provides "
                + "(provided before it: nothing)", e.getMessage());
    }

    @Test
    void aProviderAfterItsStepDoesNotCount() {
        assertThrows(IllegalStateException.class, () -> StepOrder.check(target(deploy, parse, compile)));
    }

    @Test
    void valuesAreHandedOnlyAsDeclared() {
        StepValues values = new StepValues();
        values.put(parse, SHAPES, "the shapes");
        assertEquals("the shapes", values.require(compile, SHAPES));
        assertEquals("the shapes", values.get(SHAPES).orElseThrow());

        IllegalStateException undeclaredPut = assertThrows(IllegalStateException.class,
                () -> values.put(parse, UNIT, 1));
        assertEquals("step parse puts 'unit' but does not declare it in provides(), so no later step may rely on it",
                undeclaredPut.getMessage());
        IllegalStateException undeclaredNeed = assertThrows(IllegalStateException.class,
                () -> values.require(parse, SHAPES));
        assertEquals("step parse requires 'shapes' but does not declare it in needs(), so its target's step order "
                + "is not checked for it", undeclaredNeed.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> values.require(deploy, UNIT));
        assertEquals("no value for unit: the step that produces it did not run before this one", missing.getMessage());

        values.put(compile, UNIT, 7);
        assertEquals(7, values.require(deploy, UNIT));
        values.clear();
        assertEquals(java.util.Optional.empty(), values.get(UNIT));
    }
}
