package io.flinkjobrunner.rdf;

/**
 * Upper bounds applied while reading a Turtle document, so a hostile or broken input fails fast with a clear error
 * instead of exhausting memory or the stack.
 *
 * @param maxBytes        largest accepted document, in bytes (after download, before decoding)
 * @param maxStatements   largest accepted number of triples
 * @param maxNestingDepth deepest accepted nesting of {@code [ ... ]} and {@code ( ... )}; the parser recurses once per
 *                        level, so this bounds its stack use
 */
public record TurtleLimits(long maxBytes, long maxStatements, int maxNestingDepth) {

    /** 64 MiB, 5 million triples, nesting depth 128: far above real knowledge graphs and shapes, far below harm. */
    public static final TurtleLimits DEFAULT = new TurtleLimits(64L * 1024 * 1024, 5_000_000, 128);

    public TurtleLimits {
        if (maxBytes < 1 || maxStatements < 1 || maxNestingDepth < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxBytes + ", " + maxStatements + ", "
                    + maxNestingDepth);
        }
        if (maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBytes must fit in memory as one array, got " + maxBytes);
        }
    }
}
