package io.flinkjobrunner.settle;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * The connector one of ours wraps (e.g. {@code upsert-kafka} behind {@code settled-upsert-kafka}): its factory, and
 * the table as it sees it, with its own connector name and every option but the ones the wrapper took.
 */
final class WrappedConnector {

    private WrappedConnector() {
    }

    /**
     * The factory of connector {@code wrapped}, found as Flink finds any.
     *
     * @param kind {@code DynamicTableSourceFactory} or {@code DynamicTableSinkFactory}
     */
    static <F extends DynamicTableFactory> F factory(DynamicTableFactory.Context context, Class<F> kind,
            String wrapped) {
        return FactoryUtil.discoverFactory(context.getClassLoader(), kind, wrapped);
    }

    /** The context {@code wrapped} is created in: the table with {@code options}, connector {@code wrapped}. */
    static DynamicTableFactory.Context context(DynamicTableFactory.Context context, Map<String, String> options,
            String wrapped) {
        Map<String, String> theirs = new HashMap<>(options);
        theirs.put(FactoryUtil.CONNECTOR.key(), wrapped);
        ResolvedCatalogTable table = context.getCatalogTable();
        return new FactoryUtil.DefaultDynamicTableContext(context.getObjectIdentifier(), table.copy(theirs),
                context.getEnrichmentOptions(), context.getConfiguration(), context.getClassLoader(),
                context.isTemporary());
    }
}
