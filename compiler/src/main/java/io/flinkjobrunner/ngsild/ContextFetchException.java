package io.flinkjobrunner.ngsild;

/** A remote context could not be fetched; the message says why (it need not repeat the URL). */
public final class ContextFetchException extends Exception {

    private static final long serialVersionUID = 1L;

    public ContextFetchException(String message) {
        super(message);
    }

    public ContextFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
