package io.flinkjobrunner.service.targets.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PlannerWarmUpTest {

    @Test
    void plansTheBuiltInUnitInTheBackground() throws Exception {
        List<Long> rounds = PlannerWarmUp.start(2).get(5, TimeUnit.MINUTES);
        assertEquals(2, rounds.size());
    }
}
