package io.flinkjobrunner.engine;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * A path of a job that lags, on purpose: {@code SLOW_PATH(id)} holds the operator for {@link #LAG_MILLIS} on ids that
 * start with {@code urn:slow:} (as a loaded or back-logged operator would), then passes every row.
 */
public final class SlowPath extends ScalarFunction {

    static final long LAG_MILLIS = 700;

    /** @return true, after the lag for a slow id */
    public Boolean eval(String id) throws InterruptedException {
        if (id != null && id.startsWith("urn:slow:")) {
            Thread.sleep(LAG_MILLIS);
        }
        return Boolean.TRUE;
    }
}
