package io.flinkjobrunner.settle;

import java.util.List;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * The primary key of a sink row as one string: each key column's text, length-prefixed (so {@code ("a,b", "c")} and
 * {@code ("a", "b,c")} differ), {@code -} for a null column.
 */
final class PrimaryKey implements KeySelector<RowData, String> {

    private static final long serialVersionUID = 1L;

    private final RowData.FieldGetter[] columns;

    /**
     * @param types the row's column types
     * @param keyColumns positions of the primary-key columns; each must be a character string
     */
    PrimaryKey(List<LogicalType> types, int[] keyColumns) {
        columns = new RowData.FieldGetter[keyColumns.length];
        for (int i = 0; i < keyColumns.length; i++) {
            columns[i] = RowData.createFieldGetter(types.get(keyColumns[i]), keyColumns[i]);
        }
    }

    @Override
    public String getKey(RowData row) {
        StringBuilder key = new StringBuilder();
        for (RowData.FieldGetter column : columns) {
            Object value = column.getFieldOrNull(row);
            if (value == null) {
                key.append('-');
            } else {
                String text = value.toString();
                key.append(text.length()).append(':').append(text);
            }
        }
        return key.toString();
    }
}
