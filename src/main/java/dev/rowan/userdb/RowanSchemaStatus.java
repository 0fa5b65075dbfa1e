package dev.rowan.userdb;

/**
 * What a user database holds of Rowan's schemas compared to what this Rowan knows, read from the
 * history table inside the database itself, so it stays true whichever Rowan instance looks.
 *
 * @param installedVersion the newest version applied, 0 when not installed
 * @param installedBy      the Rowan version that applied it, null when not installed
 * @param knownVersion     the newest version this Rowan can install
 */
public record RowanSchemaStatus(State state, int installedVersion, String installedBy, int knownVersion) {
    public enum State {
        NOT_INSTALLED,
        CURRENT,
        /** Older than this Rowan's; installing upgrades it. */
        NEEDS_UPGRADE,
        /** Written by a newer Rowan: this one leaves it untouched. */
        NEEDS_NEWER_ROWAN
    }

    static RowanSchemaStatus of(int installedVersion, String installedBy, int knownVersion) {
        State state = installedVersion == 0 ? State.NOT_INSTALLED
                : installedVersion == knownVersion ? State.CURRENT
                : installedVersion < knownVersion ? State.NEEDS_UPGRADE
                : State.NEEDS_NEWER_ROWAN;
        return new RowanSchemaStatus(state, installedVersion, installedBy, knownVersion);
    }

    /** One sentence for the databases page and the logs. */
    public String describe() {
        return switch (state) {
            case NOT_INSTALLED -> "Rowan's schemas are not installed";
            case CURRENT -> "Rowan schema version " + installedVersion + " (current)";
            case NEEDS_UPGRADE -> "Rowan schema version " + installedVersion + ", which this Rowan upgrades to version " + knownVersion;
            case NEEDS_NEWER_ROWAN -> "Rowan schema version " + installedVersion + ", written by Rowan " + installedBy
                    + ": needs a newer Rowan (this one knows up to version " + knownVersion + ") and was left untouched";
        };
    }
}
