package io.flinkjobrunner.sparql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.rdf4j.query.algebra.StatementPattern;

/**
 * One SQL SELECT under construction: the tables (with their aliases), the structural join conditions coming from
 * triple patterns, the FILTER conditions, the variable bindings and the grouping. A builder may have an outer
 * builder (for EXISTS subqueries): variables bound outside are visible, and binding them again inside adds a
 * correlation condition.
 */
final class SelectBuilder {

    /** A table or derived table; left joins carry their own ON conditions. */
    private record FromItem(String alias, String source, boolean leftJoin, List<String> on) {
    }

    /** A condition and the local aliases it reads; structural conditions may be placed in a join's ON clause. */
    private record Condition(String sql, Set<String> aliases, boolean structural) {
    }

    private final SelectBuilder outer;
    private final List<FromItem> items = new ArrayList<>();
    private final List<Condition> conditions = new ArrayList<>();
    private final List<String> having = new ArrayList<>();
    private final Map<String, SqlTerm> bindings = new LinkedHashMap<>();
    private final Map<String, String> entityAliases = new LinkedHashMap<>();
    private final List<SqlTerm> groupBy = new ArrayList<>();
    private final Map<String, AttributeInstance> instances = new LinkedHashMap<>();
    private final Map<String, InstanceTable> instanceTables = new LinkedHashMap<>();
    private boolean grouped;
    private boolean planned;

    /**
     * The attribute instance a node of this group graph pattern stands for: {@code id} names the instance (patterns
     * with the same id share one attribute table), {@code history} says whether its table is the history,
     * {@code pattern} is the node's {@code ?s <attr> node} triple.
     */
    record AttributeInstance(String id, boolean history, StatementPattern pattern) {
    }

    /** The table of an attribute instance: its alias, and the NGSI-LD attribute type it is restricted to (or null). */
    static final class InstanceTable {
        final String alias;
        String type;

        InstanceTable(String alias) {
            this.alias = alias;
        }
    }

    SelectBuilder(SelectBuilder outer) {
        this.outer = outer;
    }

    SelectBuilder outer() {
        return outer;
    }

    void addTable(String alias, String table) {
        items.add(new FromItem(alias, table, false, List.of()));
    }

    void addLeftJoin(String alias, String derivedTable, List<String> on) {
        items.add(new FromItem(alias, derivedTable, true, List.copyOf(on)));
    }

    /** A condition from the structure of a pattern (table filters, shared variables). */
    void structural(SqlTerm condition) {
        Set<String> local = localAliases(condition.aliases());
        // correlated conditions stay in WHERE: Flink decorrelates EXISTS only from there
        boolean correlated = local.size() < condition.aliases().size();
        conditions.add(new Condition(condition.sql(), local, !correlated));
    }

    /** A FILTER condition: WHERE, or HAVING when it reads an aggregate. */
    void filter(SqlTerm condition) {
        if (condition.aggregate()) {
            having.add(condition.sql());
        } else {
            conditions.add(new Condition(condition.sql(), localAliases(condition.aliases()), false));
        }
    }

    /** The binding of {@code var} in this builder or an outer one, or null. */
    SqlTerm lookup(String var) {
        SqlTerm local = bindings.get(var);
        if (local != null) {
            return local;
        }
        return outer == null ? null : outer.lookup(var);
    }

    SqlTerm lookupLocal(String var) {
        return bindings.get(var);
    }

    Map<String, SqlTerm> bindings() {
        return bindings;
    }

    void put(String var, SqlTerm term) {
        bindings.put(var, term);
    }

    String entityAlias(String var) {
        return entityAliases.get(var);
    }

    void entityAlias(String var, String alias) {
        entityAliases.put(var, alias);
    }

    /** Whether the attribute instances of this group graph pattern are planned. */
    boolean planned() {
        return planned;
    }

    /** The attribute instance of every attribute node variable of this group graph pattern. */
    void plan(Map<String, AttributeInstance> nodeInstances) {
        instances.putAll(nodeInstances);
        planned = true;
    }

    /** The instance of attribute node {@code nodeVar}, or null when it was not planned. */
    AttributeInstance instance(String nodeVar) {
        return instances.get(nodeVar);
    }

    /** The table of attribute instance {@code id}, created by its first pattern. */
    InstanceTable instanceTable(String id, java.util.function.Function<String, InstanceTable> create) {
        return instanceTables.computeIfAbsent(id, create);
    }

    void groupBy(List<SqlTerm> terms) {
        grouped = true;
        for (SqlTerm term : terms) {
            if (groupBy.stream().noneMatch(t -> t.sql().equals(term.sql()))) {
                groupBy.add(term);
            }
        }
    }

    boolean grouped() {
        return grouped;
    }

    private Set<String> localAliases(Set<String> aliases) {
        Set<String> local = new HashSet<>();
        for (String alias : aliases) {
            if (outer == null || !outer.knowsAlias(alias)) {
                local.add(alias);
            }
        }
        return local;
    }

    private boolean knowsAlias(String alias) {
        for (FromItem item : items) {
            if (item.alias().equals(alias)) {
                return true;
            }
        }
        return outer != null && outer.knowsAlias(alias);
    }

    /**
     * Renders the SELECT. Tables between left joins are ordered so that every table joins the ones before it on a
     * structural condition (Flink's streaming joins need equality keys); each structural condition is placed in
     * the ON clause of the first join where all its tables are available.
     */
    String render(List<String> selectItems, boolean distinct) {
        if (items.isEmpty()) {
            throw new UnsupportedSparqlException("the query has no triple pattern to read from", "WHERE");
        }
        List<Condition> pending = new ArrayList<>(conditions);
        List<String> where = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        StringBuilder from = new StringBuilder();
        int i = 0;
        while (i < items.size()) {
            FromItem item = items.get(i);
            if (item.leftJoin()) {
                from.append(" LEFT JOIN ").append(item.source()).append(" AS ").append(item.alias())
                        .append(" ON ").append(item.on().isEmpty() ? "TRUE" : String.join(" AND ", item.on()));
                placed.add(item.alias());
                i++;
                continue;
            }
            int end = i;
            while (end < items.size() && !items.get(end).leftJoin()) {
                end++;
            }
            List<FromItem> segment = new ArrayList<>(items.subList(i, end));
            while (!segment.isEmpty()) {
                FromItem next = pickConnected(segment, placed, pending);
                segment.remove(next);
                List<String> on = new ArrayList<>();
                placed.add(next.alias());
                for (var it = pending.iterator(); it.hasNext(); ) {
                    Condition c = it.next();
                    if (c.structural() && placed.containsAll(c.aliases()) && c.aliases().contains(next.alias())) {
                        on.add(c.sql());
                        it.remove();
                    }
                }
                if (from.isEmpty()) {
                    from.append(next.source()).append(" AS ").append(next.alias());
                    where.addAll(on);
                } else if (on.isEmpty()) {
                    from.append(" CROSS JOIN ").append(next.source()).append(" AS ").append(next.alias());
                } else {
                    from.append(" JOIN ").append(next.source()).append(" AS ").append(next.alias())
                            .append(" ON ").append(String.join(" AND ", on));
                }
            }
            i = end;
        }
        for (Condition c : pending) {
            where.add(c.sql());
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        if (distinct) {
            sql.append("DISTINCT ");
        }
        sql.append(String.join(", ", selectItems)).append(" FROM ").append(from);
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        if (grouped && !groupBy.isEmpty()) {
            sql.append(" GROUP BY ");
            List<String> keys = new ArrayList<>();
            for (SqlTerm term : groupBy) {
                keys.add(term.sql());
            }
            sql.append(String.join(", ", keys));
        }
        if (!having.isEmpty()) {
            sql.append(" HAVING ").append(String.join(" AND ", having));
        }
        return sql.toString();
    }

    private static FromItem pickConnected(List<FromItem> segment, Set<String> placed, List<Condition> pending) {
        if (placed.isEmpty()) {
            return segment.get(0);
        }
        for (FromItem candidate : segment) {
            for (Condition c : pending) {
                if (c.structural() && c.aliases().contains(candidate.alias()) && c.aliases().size() > 1) {
                    Set<String> others = new HashSet<>(c.aliases());
                    others.remove(candidate.alias());
                    if (placed.containsAll(others)) {
                        return candidate;
                    }
                }
            }
        }
        return segment.get(0);
    }
}
