package io.flinkjobrunner.cli;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.planner.AcceptedUnits;
import io.flinkjobrunner.planner.PlannerCheck;
import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.rdf.RdfSyntaxException;
import io.flinkjobrunner.shacl.ShapesGraphChecker;
import io.flinkjobrunner.shacl.ShapesGraphProblem;
import io.flinkjobrunner.shacl.Severity;
import io.flinkjobrunner.rdf.TurtleReader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.eclipse.rdf4j.model.Model;

/** Reading the command-line inputs, with every failure turned into an {@link InvalidInputException}. */
final class Inputs {

    private Inputs() {
    }

    /** Parses a Turtle file; syntax errors carry file:line:column. */
    static Model turtle(Path file) throws InvalidInputException {
        return document(file).model();
    }

    /** Parses a Turtle file with the positions of its subjects (for the shapes-graph check's file:line:column). */
    static RdfDocument document(Path file) throws InvalidInputException {
        try {
            return TurtleReader.read(file, file.toString());
        } catch (RdfSyntaxException e) {
            throw new InvalidInputException(e.getMessage(), e);
        } catch (IOException e) {
            throw fileError(file, e);
        }
    }

    /**
     * The shapes-graph check the service's {@code check-shapes} step makes: warnings go to {@code err}; a graph
     * that is not well-formed SHACL fails with every violation on {@code err} and the first in the message (the
     * compiler's reading of shapes assumes a well-formed graph).
     */
    static void wellFormed(List<ShapesGraphProblem> problems, Path shapesFile, PrintWriter err)
            throws InvalidInputException {
        problems.forEach(p -> err.println("fjr: " + (p.severity() == Severity.VIOLATION ? "" : "warning: ") + p));
        err.flush();
        Optional<String> refusal = ShapesGraphChecker.refusal(problems, shapesFile.toString());
        if (refusal.isPresent()) {
            throw new InvalidInputException(refusal.get(), null);
        }
    }

    /** The result of {@code work} run on another thread ({@code what} it did, for messages), or its failure. */
    static <T> T await(FutureTask<T> work, String what) throws InvalidInputException {
        try {
            return work.get();
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
            throw new IllegalStateException(what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidInputException(what + ": interrupted", e);
        }
    }

    /** Starts {@code work} on a daemon thread named {@code name}; {@link #await} takes its result. */
    static <T> FutureTask<T> start(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return task;
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
        check(unit, shapesFile, Optional.empty());
    }

    /** {@link #check}, answered by (and recorded in) {@code accepted} when given. */
    static void check(DeploymentUnit unit, Path shapesFile, Optional<AcceptedUnits> accepted)
            throws InvalidInputException {
        try {
            plannerCheck(unit, accepted);
        } catch (CompilationException e) {
            throw new InvalidInputException(shapesFile + ": " + e.getMessage(), e);
        }
    }

    private static void plannerCheck(DeploymentUnit unit, Optional<AcceptedUnits> accepted)
            throws CompilationException {
        if (accepted.isPresent()) {
            PlannerCheck.check(unit, accepted.get());
        } else {
            PlannerCheck.check(unit);
        }
    }

    /**
     * Compiles {@code shapes} over {@code knowledge} while Flink's planner checks the unit's statements on a thread of
     * its own, started as soon as they are known ({@link ShaclCompiler#statementsOf}): after the shapes are read, before
     * the knowledge closure, the semantic data and the coverage are built. A cold JVM's first planning is the longest
     * part of a compile; this way it overlaps with the rest of the compile, the write and the shapes-graph check on the
     * other core, and the check of the whole unit afterwards ({@link #check}) finds it done or waits for it
     * ({@link PlannerCheck#check} runs one check per SQL). Shapes with SPARQL constraints or rules, whose statements
     * are made from the closure, are checked afterwards only. (This replaces a check that compiled the shapes a second
     * time, without the knowledge, to get the statements: that compile kept the planner from starting for a second
     * on two busy cores.)
     */
    static DeploymentUnit assembleCheckingEarly(Model knowledge, Model shapes, Path shapesFile, CompileOptions options,
            Optional<AcceptedUnits> accepted) throws InvalidInputException {
        ShaclCompiler compiler = new ShaclCompiler();
        try {
            ShaclCompiler.ReadShapes read = compiler.read(knowledge, shapes);
            Optional<DeploymentUnit> statements = compiler.statementsOf(read, options);
            if (statements.isPresent()) {
                Thread early = new Thread(() -> {
                    try {
                        // records nothing: the check of the whole unit waits for this one and records it, so no
                        // write into the planner cache is still running when the command returns
                        if (accepted.isPresent()) {
                            PlannerCheck.checkUnlessAccepted(statements.get(), accepted.get());
                        } else {
                            PlannerCheck.check(statements.get());
                        }
                    } catch (Throwable e) {
                        // the check of the whole unit reports its own failures (an exhausted heap too); this one only
                        // saves time
                    }
                }, "planner-check-early");
                early.setDaemon(true);
                early.start();
            }
            return compiler.assemble(read, knowledge, shapes, options);
        } catch (CompilationException e) {
            throw new InvalidInputException(shapesFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the shapes graph and compiles {@code shapes} (read from {@code shapesFile}) over {@code knowledge},
     * planner check included.
     */
    static DeploymentUnit compile(Model knowledge, RdfDocument shapes, Path shapesFile, CompileOptions options,
            PrintWriter err) throws InvalidInputException {
        wellFormed(ShapesGraphChecker.check(shapes), shapesFile, err);
        DeploymentUnit unit = assemble(knowledge, shapes.model(), shapesFile, options);
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
