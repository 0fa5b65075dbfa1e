package dev.rowan.internal;

/** A Rowan user account. The hash is an argon2id PHC string. */
public record User(long id, String username, String passwordHash, boolean admin) {
    @Override
    public String toString() {
        return "User[" + id + ", " + username + "]";
    }
}
