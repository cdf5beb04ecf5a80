package io.flinkjobrunner.service.semantic;

import io.flinkjobrunner.compiler.SemanticTable;
import io.flinkjobrunner.service.digest.Sha256;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * SQL access to a deployment's semantic tables: one PostgreSQL schema per deployment ({@code fjr_<name>}) holding
 * {@code rdf}, {@code constraint_table} and {@code constraint_combination_table} with their compiled columns and primary
 * keys. Every value travels as a bind parameter; identifiers are checked and quoted. Every method runs on the caller's
 * connection, inside the caller's transaction.
 */
final class SemanticDataRepository {

    private static final Pattern DEPLOYMENT = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final int MAX_SCHEMA_LENGTH = 63;
    private static final int BATCH = 1000;

    private SemanticDataRepository() {
    }

    /**
     * The schema of {@code deployment}: {@code fjr_} plus the name with {@code -} as {@code _} (injective, since
     * deployment names never contain {@code _}); names too long for PostgreSQL identifiers end in a hash instead.
     */
    static String schema(String deployment) {
        if (!DEPLOYMENT.matcher(deployment).matches()) {
            throw new IllegalArgumentException("not a deployment name (DNS-1123 label): '" + deployment + "'");
        }
        String name = "fjr_" + deployment.replace('-', '_');
        if (name.length() <= MAX_SCHEMA_LENGTH) {
            return name;
        }
        return name.substring(0, MAX_SCHEMA_LENGTH - 13) + "_" + Sha256.hex(deployment).substring(0, 12);
    }

    /** Serialises writers of one deployment's semantic data until the transaction ends. */
    static void lock(Connection c, String deployment) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, "fjr.semantic." + deployment);
            ps.execute();
        }
    }

    static void createSchema(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
        }
    }

    static void dropSchema(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + quote(schema) + " CASCADE");
        }
    }

    /** The stored table with its rows, or empty when it does not exist. */
    static Optional<SemanticRows> read(Connection c, String schema, String table) throws SQLException {
        Optional<SemanticRows.Layout> layout = layout(c, schema, table);
        if (layout.isEmpty()) {
            return Optional.empty();
        }
        List<SemanticTable.Column> columns = layout.get().columns();
        String select = "SELECT " + columns.stream().map(col -> quote(col.name())).collect(Collectors.joining(", "))
                + " FROM " + quote(schema) + "." + quote(table);
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select)) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 0; i < columns.size(); i++) {
                    if ("INT".equals(columns.get(i).type())) {
                        int v = rs.getInt(i + 1);
                        row.add(rs.wasNull() ? null : v);
                    } else {
                        row.add(rs.getString(i + 1));
                    }
                }
                rows.add(row);
            }
        }
        return Optional.of(SemanticRows.of(layout.get(), rows));
    }

    /** Columns (in order) and primary key of a stored table, from the catalog. */
    static Optional<SemanticRows.Layout> layout(Connection c, String schema, String table) throws SQLException {
        List<SemanticTable.Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new SemanticTable.Column(rs.getString(1), flinkType(rs.getString(2))));
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        List<String> primaryKey = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                + "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indisprimary "
                + "AND i.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass ORDER BY a.attnum")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    primaryKey.add(rs.getString(1));
                }
            }
        }
        return Optional.of(new SemanticRows.Layout(table, columns, primaryKey));
    }

    static void createTable(Connection c, String schema, SemanticRows.Layout layout) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(quote(schema)).append('.')
                .append(quote(layout.table())).append(" (");
        for (SemanticTable.Column column : layout.columns()) {
            ddl.append(quote(column.name())).append(' ').append(sqlType(column.type()));
            if (layout.primaryKey().contains(column.name())) {
                ddl.append(" NOT NULL");
            }
            ddl.append(", ");
        }
        ddl.append("PRIMARY KEY (").append(layout.primaryKey().stream().map(SemanticDataRepository::quote)
                .collect(Collectors.joining(", "))).append("))");
        try (Statement s = c.createStatement()) {
            s.execute(ddl.toString());
        }
    }

    static void dropTable(Connection c, String schema, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + quote(schema) + "." + quote(table));
        }
    }

    /** Deletes the delta's removed keys and upserts its rows, in batches of bind parameters. */
    static void apply(Connection c, String schema, SemanticRows.Layout layout, SemanticDelta delta)
            throws SQLException {
        String table = quote(schema) + "." + quote(layout.table());
        List<Integer> keyIndexes = new ArrayList<>();
        for (String key : layout.primaryKey()) {
            keyIndexes.add(indexOf(layout, key));
        }
        if (!delta.deletions().isEmpty()) {
            String where = layout.primaryKey().stream().map(k -> quote(k) + " = ?")
                    .collect(Collectors.joining(" AND "));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + where)) {
                executeInBatches(ps, delta.deletions(), row -> {
                    for (int k = 0; k < keyIndexes.size(); k++) {
                        int column = keyIndexes.get(k);
                        bind(ps, k + 1, layout.columns().get(column), row.values().get(column));
                    }
                });
            }
        }
        if (!delta.upserts().isEmpty()) {
            String columns = layout.columns().stream().map(col -> quote(col.name())).collect(Collectors.joining(", "));
            String marks = layout.columns().stream().map(col -> "?").collect(Collectors.joining(", "));
            List<String> others = layout.columns().stream().map(SemanticTable.Column::name)
                    .filter(name -> !layout.primaryKey().contains(name)).toList();
            String onConflict = others.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + others.stream()
                    .map(name -> quote(name) + " = EXCLUDED." + quote(name)).collect(Collectors.joining(", "));
            String keys = layout.primaryKey().stream().map(SemanticDataRepository::quote)
                    .collect(Collectors.joining(", "));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + columns + ") VALUES ("
                    + marks + ") ON CONFLICT (" + keys + ") " + onConflict)) {
                executeInBatches(ps, delta.upserts(), row -> {
                    for (int i = 0; i < layout.columns().size(); i++) {
                        bind(ps, i + 1, layout.columns().get(i), row.values().get(i));
                    }
                });
            }
        }
    }

    /** Binds one row's parameters. */
    @FunctionalInterface
    private interface RowBinder {
        void bind(SemanticRows.Row row) throws SQLException;
    }

    /** Executes {@code ps} once per row, sent to the server {@value #BATCH} rows at a time. */
    private static void executeInBatches(PreparedStatement ps, List<SemanticRows.Row> rows, RowBinder binder)
            throws SQLException {
        int pending = 0;
        for (SemanticRows.Row row : rows) {
            binder.bind(row);
            ps.addBatch();
            if (++pending == BATCH) {
                ps.executeBatch();
                pending = 0;
            }
        }
        if (pending > 0) {
            ps.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, int index, SemanticTable.Column column, Object value)
            throws SQLException {
        boolean integer = "INT".equals(column.type());
        if (value == null) {
            ps.setNull(index, integer ? Types.INTEGER : Types.VARCHAR);
        } else if (integer) {
            ps.setInt(index, ((Number) value).intValue());
        } else {
            ps.setString(index, value.toString());
        }
    }

    private static int indexOf(SemanticRows.Layout layout, String column) {
        for (int i = 0; i < layout.columns().size(); i++) {
            if (layout.columns().get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("primary-key column " + column + " is not a column of " + layout.table());
    }

    /** PostgreSQL type of a Flink column type of the semantic tables. */
    static String sqlType(String flinkType) {
        return switch (flinkType.toUpperCase(Locale.ROOT)) {
            case "STRING" -> "TEXT";
            case "INT", "INTEGER" -> "INTEGER";
            default -> throw new IllegalArgumentException("semantic tables hold STRING and INT columns, not "
                    + flinkType);
        };
    }

    private static String flinkType(String postgresType) {
        return switch (postgresType) {
            case "text" -> "STRING";
            case "integer" -> "INT";
            default -> "UNSUPPORTED:" + postgresType;
        };
    }

    /** A checked, double-quoted identifier. */
    static String quote(String identifier) {
        if (!IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: '" + identifier + "'");
        }
        return '"' + identifier + '"';
    }
}
