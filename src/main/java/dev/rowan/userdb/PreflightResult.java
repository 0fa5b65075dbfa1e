package dev.rowan.userdb;

import java.util.List;

/**
 * What testing a connection found, shaped for {@code POST /api/v1/databases/test}: when {@code ok}, a
 * 200 with {@code serverVersion}; otherwise a 422 problem with {@code code}, {@code title},
 * {@code detail} and {@code hint}. {@code checks} lists every step either way.
 *
 * @param serverVersion "17.11"; known whenever Rowan signed in, also when a later check failed
 * @param canCreateDatabase only meaningful with {@link PreflightCode#DATABASE_MISSING}: whether the role
 *     may create the missing database itself (CREATEDB or superuser), so the UI can offer to
 */
public record PreflightResult(boolean ok, String serverVersion, PreflightCode code, String title, String detail, String hint,
                              boolean canCreateDatabase, List<PreflightCheck> checks) {
    public PreflightResult {
        checks = List.copyOf(checks);
    }
}
