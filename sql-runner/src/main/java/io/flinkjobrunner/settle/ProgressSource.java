package io.flinkjobrunner.settle;

import java.util.List;
import java.util.Map;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown;
import org.apache.flink.table.types.DataType;

/**
 * A Kafka table source that reports its read progress as watermarks ({@link ReadProgress}); everything else,
 * including the metadata columns, is the wrapped source's.
 */
final class ProgressSource implements ScanTableSource, SupportsReadingMetadata {

    private final ScanTableSource delegate;

    /** @param delegate a source that reads metadata and accepts a watermark strategy (Kafka's does) */
    ProgressSource(ScanTableSource delegate) {
        if (!(delegate instanceof SupportsWatermarkPushDown) || !(delegate instanceof SupportsReadingMetadata)) {
            throw new IllegalArgumentException(delegate.asSummaryString() + " cannot report its read progress");
        }
        this.delegate = delegate;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return delegate.getChangelogMode();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        ((SupportsWatermarkPushDown) delegate).applyWatermark(ReadProgress.strategy());
        return delegate.getScanRuntimeProvider(context);
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        return ((SupportsReadingMetadata) delegate).listReadableMetadata();
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        ((SupportsReadingMetadata) delegate).applyReadableMetadata(metadataKeys, producedDataType);
    }

    @Override
    public boolean supportsMetadataProjection() {
        return ((SupportsReadingMetadata) delegate).supportsMetadataProjection();
    }

    @Override
    public DynamicTableSource copy() {
        return new ProgressSource((ScanTableSource) delegate.copy());
    }

    @Override
    public String asSummaryString() {
        return delegate.asSummaryString() + ", read progress as watermarks";
    }
}
