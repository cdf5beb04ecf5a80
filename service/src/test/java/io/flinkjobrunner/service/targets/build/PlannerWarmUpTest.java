package io.flinkjobrunner.service.targets.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlannerWarmUpTest {

    @Test
    void plansTheBuiltInUnitInTheBackground() throws Exception {
        List<Long> rounds = PlannerWarmUp.start(2, () -> true).get(5, TimeUnit.MINUTES);
        assertEquals(2, rounds.size());
    }

    @Test
    void stopsAtTheNextRoundOnceTheServiceHasOtherWork() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        List<Long> rounds = PlannerWarmUp.start(5, () -> asked.incrementAndGet() <= 1).get(5, TimeUnit.MINUTES);
        assertEquals(1, rounds.size(), "one round while idle, none after");
        assertEquals(2, asked.get(), "asked before each round until told to stop");
    }
}
