package io.flinkjobrunner.compiler;

/** A shapes graph or knowledge graph that cannot be compiled; the message names the shape behind the problem. */
public class CompilationException extends Exception {

    private final String shape;

    public CompilationException(String shape, String message) {
        super(shape == null ? message : "shape " + shape + ": " + message);
        this.shape = shape;
    }

    public CompilationException(String shape, String message, Throwable cause) {
        super(shape == null ? message : "shape " + shape + ": " + message, cause);
        this.shape = shape;
    }

    /** The shape behind the problem, or {@code null} when the problem lies in the generic statements. */
    public String shape() {
        return shape;
    }
}
