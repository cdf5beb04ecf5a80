package io.flinkjobrunner.service.semantic;

/**
 * The semantic data could not be stored or published; the message says what the database and the topics hold now.
 */
public class SemanticDataException extends Exception {

    public SemanticDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
