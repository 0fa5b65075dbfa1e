package dev.rowan.userdb;

/** The stable codes of a failed preflight; {@link #code()} is what the API answers in problem+json. */
public enum PreflightCode {
    UNREACHABLE, AUTH_FAILED, DATABASE_MISSING, INSUFFICIENT_PRIVILEGE, UNSUPPORTED_VERSION, SSL_ERROR;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
