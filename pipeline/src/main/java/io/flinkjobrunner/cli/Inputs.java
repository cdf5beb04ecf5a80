package io.flinkjobrunner.cli;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.rdf.RdfSyntaxException;
import io.flinkjobrunner.rdf.TurtleReader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.eclipse.rdf4j.model.Model;

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

    /** Reads both files and compiles the shapes over the knowledge (including Flink's planner check). */
    static DeploymentUnit compile(Path knowledgeFile, Path shapesFile, CompileOptions options)
            throws InvalidInputException {
        return compile(turtle(knowledgeFile), turtle(shapesFile), shapesFile, options);
    }

    /** Compiles {@code shapes} (read from {@code shapesFile}) over {@code knowledge}. */
    static DeploymentUnit compile(Model knowledge, Model shapes, Path shapesFile, CompileOptions options)
            throws InvalidInputException {
        try {
            return ShaclCompiler.compile(knowledge, shapes, options);
        } catch (CompilationException e) {
            throw new InvalidInputException(shapesFile + ": " + e.getMessage(), e);
        }
    }

    /** A file that cannot be read or written, as an input error naming it. */
    static InvalidInputException fileError(Path file, IOException e) {
        String reason = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : e.getMessage();
        return new InvalidInputException(file + ": " + reason, e);
    }
}
