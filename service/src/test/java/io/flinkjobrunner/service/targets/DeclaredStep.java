package io.flinkjobrunner.service.targets;

import java.util.Set;

/** A step that only declares (name, needs, provides, repeatable) and does nothing: for tests of step planning. */
class DeclaredStep implements Step {

    private final String name;
    private final Set<StepKey<?>> needs;
    private final Set<StepKey<?>> provides;
    private final boolean repeatable;

    DeclaredStep(String name, Set<StepKey<?>> needs, Set<StepKey<?>> provides, boolean repeatable) {
        this.name = name;
        this.needs = needs;
        this.provides = provides;
        this.repeatable = repeatable;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void run(StepContext context) {
    }

    @Override
    public Set<StepKey<?>> needs() {
        return needs;
    }

    @Override
    public Set<StepKey<?>> provides() {
        return provides;
    }

    @Override
    public boolean repeatable() {
        return repeatable;
    }

    /** A declared step that is also restorable (and restores nothing). */
    static final class Restorable extends DeclaredStep implements RestorableStep {

        Restorable(String name, Set<StepKey<?>> needs, Set<StepKey<?>> provides) {
            super(name, needs, provides, false);
        }

        @Override
        public void restore(StepContext context) {
        }

        @Override
        public Set<String> restoredFrom() {
            return Set.of(name() + ".stored");
        }
    }
}
