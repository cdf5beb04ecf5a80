package io.flinkjobrunner.service.inputs;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A download was refused or failed. The message names the redacted URL and never contains a query string or
 * user-info, so it can be logged and returned to API callers as is.
 */
public final class InputDownloadException extends Exception {

    /** Why the download did not produce a file. */
    public enum Reason {
        /** The URL (or a redirect target) is not absolute http(s), or cannot be parsed. */
        SCHEME_REFUSED,
        /** The host resolved to an address the SSRF guard refuses (loopback, private, link-local, ...). */
        ADDRESS_REFUSED,
        /** The host name does not resolve. */
        UNKNOWN_HOST,
        /** The body exceeds the size cap. */
        TOO_LARGE,
        /** Connecting, a read, or the whole download took longer than allowed. */
        TIMEOUT,
        /** More redirects than allowed (or a redirect loop). */
        TOO_MANY_REDIRECTS,
        /** The server answered with a status other than 200. */
        HTTP_STATUS,
        /** The server sent a compressed or otherwise encoded body although identity was requested. */
        CONTENT_ENCODING,
        /** Connection or TLS failure, or the connection broke during the transfer. */
        CONNECTION_FAILED,
        /** The download was cancelled (job cancellation or thread interrupt). */
        CANCELLED,
        /** The file could not be written to the workspace. */
        WRITE_FAILED
    }

    private final Reason reason;
    private final String redactedUrl;
    private final int httpStatus;

    InputDownloadException(Reason reason, String redactedUrl, String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.redactedUrl = redactedUrl;
        this.httpStatus = httpStatus;
    }

    public Reason reason() {
        return reason;
    }

    /** The URL being fetched when it failed (a redirect target, if any), redacted. */
    public String redactedUrl() {
        return redactedUrl;
    }

    /** The HTTP status for {@link Reason#HTTP_STATUS}. */
    public OptionalInt httpStatus() {
        return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
    }
}
