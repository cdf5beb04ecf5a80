package io.flinkjobrunner.cli;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.planner.PlannerCheck;
import io.flinkjobrunner.rdf.RdfSyntaxException;
import io.flinkjobrunner.rdf.TurtleReader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;

/** Reading the command-line inputs, with every failure turned into an {@link InvalidInputException}. */
final class Inputs {

    private Inputs() {
    }

    /** Parses a Turtle file; syntax errors carry file:line:column. */
    static Model turtle(Path file) throws InvalidInputException {
        try {
            return TurtleReader.read(file, file.toString()).model();
        } catch (RdfSyntaxException e) {
            throw new InvalidInputException(e.getMessage(), e);
        } catch (IOException e) {
            throw fileError(file, e);
        }
    }

    /** The model a {@link #turtle} read on another thread returns, or its failure as this thread's. */
    static Model await(FutureTask<Model> read, Path file) throws InvalidInputException {
        try {
            return read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidInputException invalid) {
                throw invalid;
            }
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("reading " + file + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidInputException(file + ": interrupted while reading", e);
        }
    }

    /** Compiles {@code shapes} (read from {@code shapesFile}) over {@code knowledge}, without the planner check. */
    static DeploymentUnit assemble(Model knowledge, Model shapes, Path shapesFile, CompileOptions options)
            throws InvalidInputException {
        try {
            return new ShaclCompiler().assemble(knowledge, shapes, options);
        } catch (CompilationException e) {
            throw new InvalidInputException(shapesFile + ": " + e.getMessage(), e);
        }
    }

    /** Flink's planner check of a unit compiled from {@code shapesFile}. */
    static void check(DeploymentUnit unit, Path shapesFile) throws InvalidInputException {
        try {
            PlannerCheck.check(unit);
        } catch (CompilationException e) {
            throw new InvalidInputException(shapesFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the planner check of the unit {@code shapes} compile to in the background, before the knowledge is read.
     * Without SPARQL constraints and rules the unit's SQL does not depend on the knowledge (shapes are data), so the
     * check of the real unit later finds this one done or waits for it ({@link PlannerCheck#check} runs one check
     * per SQL): a cold JVM's first planning, several seconds of class loading and interpreted code, then overlaps
     * with reading and compiling the knowledge on the other core. With SPARQL the SQL depends on the knowledge
     * closure, and nothing is started. {@code shapes} must be unmodifiable: the check reads it while the caller
     * compiles it (concurrent reads of an unchanging model are safe; a copy cost a tenth of a compile).
     */
    static void checkAhead(Model shapes, CompileOptions options) {
        if (new ShaclCompiler().translatesAny(shapes)) {
            return;
        }
        Thread ahead = new Thread(() -> {
            try {
                // shapes is read by the compile at the same time; neither changes it (the caller made it unmodifiable)
                PlannerCheck.check(new ShaclCompiler().assemble(new LinkedHashModel(), shapes, options));
            } catch (CompilationException | RuntimeException e) {
                // the check of the real unit reports its own failures; this one only saves time
            }
        }, "planner-check-ahead");
        ahead.setDaemon(true);
        ahead.start();
    }

    /** Compiles {@code shapes} (read from {@code shapesFile}) over {@code knowledge}, planner check included. */
    static DeploymentUnit compile(Model knowledge, Model shapes, Path shapesFile, CompileOptions options)
            throws InvalidInputException {
        DeploymentUnit unit = assemble(knowledge, shapes, shapesFile, options);
        check(unit, shapesFile);
        return unit;
    }

    /** A file that cannot be read or written, as an input error naming it. */
    static InvalidInputException fileError(Path file, IOException e) {
        String reason = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : e.getMessage();
        return new InvalidInputException(file + ": " + reason, e);
    }
}
