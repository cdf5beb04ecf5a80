package io.flinkjobrunner.settle;

import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.factories.DynamicTableSourceFactory;

/**
 * Table connectors {@value SettledSinkNames#PROGRESS_KAFKA} and {@value SettledSinkNames#PROGRESS_UPSERT_KAFKA}:
 * Flink's {@code kafka} and {@code upsert-kafka} sources, reporting their read progress as watermarks
 * ({@link ReadProgress}) so that the settled alert sink knows when the job has caught up. Every option is the wrapped
 * connector's and is validated by it. Source only.
 */
public abstract class ProgressSourceFactory implements DynamicTableSourceFactory {

    private final String identifier;
    private final String wrapped;

    ProgressSourceFactory(String identifier, String wrapped) {
        this.identifier = identifier;
        this.wrapped = wrapped;
    }

    @Override
    public final String factoryIdentifier() {
        return identifier;
    }

    @Override
    public final Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    /** None of its own: every option is handed to the wrapped connector, which validates it. */
    @Override
    public final Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public final DynamicTableSource createDynamicTableSource(Context context) {
        DynamicTableSource source = WrappedConnector.factory(context, DynamicTableSourceFactory.class, wrapped)
                .createDynamicTableSource(WrappedConnector.context(context, context.getCatalogTable().getOptions(),
                        wrapped));
        if (!(source instanceof ScanTableSource scan)) {
            throw new ValidationException("table " + context.getObjectIdentifier().asSummaryString()
                    + " (connector '" + identifier + "'): '" + wrapped + "' gave no scan source");
        }
        return new ProgressSource(scan);
    }

    /** {@code kafka}, reporting its read progress. */
    public static final class Kafka extends ProgressSourceFactory {
        /** Found by Flink's factory discovery. */
        public Kafka() {
            super(SettledSinkNames.PROGRESS_KAFKA, "kafka");
        }
    }

    /** {@code upsert-kafka}, reporting its read progress. */
    public static final class UpsertKafka extends ProgressSourceFactory {
        /** Found by Flink's factory discovery. */
        public UpsertKafka() {
            super(SettledSinkNames.PROGRESS_UPSERT_KAFKA, "upsert-kafka");
        }
    }
}
