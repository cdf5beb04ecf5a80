package io.flinkjobrunner.service.store;

/** The database could not be read or written; the API answers 503. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
