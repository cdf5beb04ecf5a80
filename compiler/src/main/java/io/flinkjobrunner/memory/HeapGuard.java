package io.flinkjobrunner.memory;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Notices a heap that garbage collection can no longer free, so that the loops which grow a build's data (parsing,
 * the knowledge closure, its rows) fail fast with {@link HeapExhaustedError} instead of thrashing.
 *
 * <p>Why: the JVM throws {@code OutOfMemoryError} only when a collection frees nothing at all. A build that grows its
 * data slowly into a full heap makes the collector run back to back first: with the serial collector (which the JVM
 * picks for a container of one CPU) a 256 MiB service spent more than three minutes in full collections before the
 * error came, and the error then landed in any thread, including the class loader's. Here a full (major) collection
 * that leaves {@value #FULL_PERCENT} % of the heap in use raises a flag; the next {@link #check()} of a growing loop
 * confirms it with one more full collection (the flag may be stale: a failed job's garbage sits in the old generation
 * until a full collection) and throws if the heap is still that full.
 */
public final class HeapGuard {

    /** The share of the maximum heap in use after a full collection from which the heap counts as exhausted. */
    static final int FULL_PERCENT = 95;

    private static final long MAX = Runtime.getRuntime().maxMemory();
    private static final Set<String> HEAP_POOLS = new HashSet<>();
    private static volatile boolean flagged;
    private static final Object CONFIRMING = new Object();

    static {
        // loaded and initialized now: loading a class when the heap is full may fail
        new HeapExhaustedError(0, 1).getMessage();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                HEAP_POOLS.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    try {
                        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                                .equals(notification.getType())) {
                            collected(GarbageCollectionNotificationInfo.from(
                                    (CompositeData) notification.getUserData()));
                        }
                    } catch (Throwable e) {
                        // the heap may be too full to decode the notification: the next one is read again
                    }
                }, null, null);
            }
        }
    }

    private HeapGuard() {
    }

    /**
     * Throws {@link HeapExhaustedError} when the last full collection left the heap exhausted and another one cannot
     * free it; otherwise returns at the cost of a volatile read, so growing loops call it on every element.
     */
    public static void check() {
        if (flagged) {
            confirm();
        }
    }

    private static void collected(GarbageCollectionNotificationInfo info) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (HEAP_POOLS.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        boolean full = exhausted(used);
        if (full && !"end of minor GC".equals(info.getGcAction())) {
            flagged = true;
        } else if (!full) {
            flagged = false;
        }
    }

    private static void confirm() {
        synchronized (CONFIRMING) {
            if (!flagged) {
                return;
            }
            // one thread confirms while the others wait for its answer, so a flag costs one collection, not one per
            // thread; the notification of this collection may come later, hence the flag is set from its result here
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            flagged = exhausted(used);
            if (flagged) {
                throw new HeapExhaustedError(used, MAX);
            }
        }
    }

    static boolean exhausted(long used) {
        return used * 100 >= MAX * FULL_PERCENT;
    }

    /** Sets the flag as a full collection that left the heap exhausted would; for tests. */
    static void flagForTest() {
        flagged = true;
    }

    /** Whether the flag is set; for tests. */
    static boolean flaggedForTest() {
        return flagged;
    }
}
