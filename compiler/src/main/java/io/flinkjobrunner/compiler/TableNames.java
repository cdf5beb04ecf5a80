package io.flinkjobrunner.compiler;

import java.util.regex.Pattern;

/**
 * Names of the Flink tables and views of a deployment unit.
 *
 * <p>The base names are the reference's ({@code entities}, {@code attributes_view}, {@code rdf}, ...); a prefix lets
 * several units share one Flink session catalog. Statements contributed per shape (SPARQL constraints and rules) must
 * use these names.
 */
public record TableNames(String prefix) {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_]*");

    public TableNames {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("table prefix must match [A-Za-z0-9_]*: '" + prefix + "'");
        }
    }

    /** Unprefixed names, as in the reference. */
    public static TableNames reference() {
        return new TableNames("");
    }

    public String entities() {
        return prefix + "entities";
    }

    public String attributes() {
        return prefix + "attributes";
    }

    public String attributesInsert() {
        return prefix + "attributes_insert";
    }

    public String alertsBulk() {
        return prefix + "alerts_bulk";
    }

    public String rdf() {
        return prefix + "rdf";
    }

    public String constraints() {
        return prefix + "constraint_table";
    }

    public String combinations() {
        return prefix + "constraint_combination_table";
    }

    /** Latest row per entity id. */
    public String entitiesView() {
        return prefix + "entities_view";
    }

    /** Latest row per attribute id and datasetId. */
    public String attributesView() {
        return prefix + "attributes_view";
    }

    /** An internal view of the generic check statements. */
    public String internal(String name) {
        return prefix + "fjr_" + name;
    }
}
