package io.flinkjobrunner.service.auth;

/** What a caller may do; each maps to a configurable role name in the JWT {@code groups} claim. */
public enum Role {
    /** Submit jobs. */
    SUBMIT,
    /** Read jobs, logs and artifacts. */
    READ,
    /** Cancel and delete jobs. */
    CANCEL
}
