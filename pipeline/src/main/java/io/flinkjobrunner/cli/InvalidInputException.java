package io.flinkjobrunner.cli;

/** The command's inputs are wrong (missing file, syntax error, unmapped context, uncompilable shapes): exit 1. */
final class InvalidInputException extends Exception {

    InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
