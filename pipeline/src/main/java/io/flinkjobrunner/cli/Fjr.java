package io.flinkjobrunner.cli;

import io.flinkjobrunner.engine.LocalEngineException;
import io.flinkjobrunner.runner.FlinkFailures;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code fjr} command line: {@code fjr compile} and {@code fjr simulate} ({@code bin/fjr} runs it). */
@Command(name = "fjr", mixinStandardHelpOptions = true, version = "fjr (flink-job-runner) 0.1.0",
        description = "Compile SHACL shapes over NGSI-LD digital twins into Flink SQL, and simulate them locally.",
        subcommands = {CompileCommand.class, SimulateCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 invalid input (inputs too large for the heap included), 2 usage, 3 the local "
                + "engine or a Flink job failed."})
public final class Fjr implements Runnable {

    /**
     * Exit code for invalid inputs (missing files, syntax errors, unmapped contexts, uncompilable shapes, inputs too
     * large for the heap).
     */
    public static final int INVALID_INPUT = 1;
    /** Exit code for command-line usage errors. */
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    /** Exit code when the local engine or a Flink job failed. */
    public static final int ENGINE_FAILURE = 3;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        // SLF4J binds its provider on the first call: once on this thread, so that threads starting together (a
        // compile reads its inputs in parallel) do not find it initializing, which makes SLF4J queue their log calls
        // and print a replay warning on stderr
        LoggerFactory.getILoggerFactory();
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line in-process with the given streams; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new Fjr());
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        PrintWriter errors = new PrintWriter(err, true, StandardCharsets.UTF_8);
        commandLine.setErr(errors);
        commandLine.setExecutionExceptionHandler((failure, failedCommand, parseResult) -> {
            if (failure instanceof InvalidInputException) {
                errors.println("fjr: " + failure.getMessage());
                return INVALID_INPUT;
            }
            if (failure instanceof LocalEngineException) {
                errors.println("fjr: " + failure.getMessage());
                return ENGINE_FAILURE;
            }
            errors.println("fjr: unexpected failure: " + FlinkFailures.describe(failure));
            return ENGINE_FAILURE;
        });
        try {
            return commandLine.execute(args);
        } catch (Error e) {
            // picocli hands errors on; by now the command's data is unreachable, so the message can be built
            String outOfMemory = outOfMemory(e);
            if (outOfMemory == null) {
                throw e;
            }
            errors.println("fjr: out of memory (" + outOfMemory + "; the heap limit is "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB): the inputs are too large for this "
                    + "heap; give fjr more, e.g. FJR_JAVA_OPTS=-Xmx4g");
            return INVALID_INPUT;
        }
    }

    /**
     * The message of the {@link OutOfMemoryError} behind {@code e}, or null if there is none. An exhausted heap also
     * surfaces as another error: a class whose initializer ran out of memory in one thread cannot be used in any
     * other ({@code NoClassDefFoundError}, caused by an {@code ExceptionInInitializerError} that names the error).
     */
    static String outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom.getMessage();
            }
            String message = t.getMessage();
            int at = message == null ? -1 : message.indexOf("java.lang.OutOfMemoryError: ");
            if (at >= 0) {
                String rest = message.substring(at + "java.lang.OutOfMemoryError: ".length());
                int end = rest.indexOf(" [in thread");
                return end < 0 ? rest : rest.substring(0, end);
            }
        }
        return null;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: compile or simulate");
    }
}
