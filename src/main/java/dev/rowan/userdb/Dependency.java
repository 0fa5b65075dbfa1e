package dev.rowan.userdb;

/**
 * One reason Rowan's schemas cannot be removed yet: a user object that still uses a Rowan object
 * (or a column Rowan would have to convert), in PostgreSQL's own words, e.g. {@code view public.v}
 * depends on {@code function rowan.cast_to_email(text)}.
 */
public record Dependency(String object, String dependsOn) {
    @Override
    public String toString() {
        return object + " depends on " + dependsOn;
    }
}
