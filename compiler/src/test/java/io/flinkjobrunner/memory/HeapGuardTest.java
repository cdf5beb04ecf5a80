package io.flinkjobrunner.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The guard's decisions. That it beats the JVM's own error in a service thrashing in full collections is shown on the
 * packaged service by OutOfMemoryIT (serial and G1 collectors).
 */
class HeapGuardTest {

    @Test
    void withoutAFlagCheckingCostsNothingAndThrowsNothing() {
        assertFalse(HeapGuard.flaggedForTest());
        for (int i = 0; i < 1_000_000; i++) {
            HeapGuard.check();
        }
        assertFalse(HeapGuard.flaggedForTest());
    }

    @Test
    void aFlagThatAFullCollectionDisprovesIsClearedAndTheLoopGoesOn() {
        // a stale flag: the garbage of a failed build filled the old generation until the next full collection
        HeapGuard.flagForTest();
        HeapGuard.check();
        assertFalse(HeapGuard.flaggedForTest(), "a full collection freed the heap, so the flag is gone");
    }

    @Test
    void exhaustedMeansNinetyFivePercentOfTheMaximumHeap() {
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(HeapGuard.exhausted(max));
        assertTrue(HeapGuard.exhausted(max / 100 * 96));
        assertFalse(HeapGuard.exhausted(max / 100 * 94));
    }

    @Test
    void theErrorIsAnOutOfMemoryErrorSayingHowFullTheHeapStayed() {
        HeapExhaustedError error = new HeapExhaustedError(970, 1000);
        assertInstanceOf(OutOfMemoryError.class, error);
        assertEquals("Java heap space: 97 % of the heap still in use after a full garbage collection",
                error.getMessage());
        assertEquals("Java heap space: 100 % of the heap still in use after a full garbage collection",
                new HeapExhaustedError(1020, 1000).getMessage(), "a survivor space in use but not in the maximum");
    }
}
