package dev.rowan.userdb;

import java.util.Locale;

/**
 * One line of the checklist the UI shows while testing a connection, so a person sees how far Rowan got,
 * not only where it stopped. {@code detail} says what was found (or why it failed); null when skipped.
 */
public record PreflightCheck(String id, String label, Status status, String detail) {
    /** SKIPPED: an earlier check failed, so this one could not be tried. */
    public enum Status {
        PASSED, FAILED, SKIPPED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
