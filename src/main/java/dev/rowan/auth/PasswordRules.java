package dev.rowan.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules for user names and passwords. Each check returns the broken rule in words, or nothing. */
public final class PasswordRules {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 1024;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Set<String> COMMON = Set.of(
            "1234567890", "12345678910", "123456789a", "0123456789", "1q2w3e4r5t", "1qaz2wsx3edc", "a1234567890",
            "administrator", "adminadmin", "changeme123", "iloveyou123", "letmein123", "password12", "password123",
            "password1234", "passw0rd123", "qwertyuiop", "qwerty1234", "qwerty12345", "welcome123", "trustno1234",
            "abcdefghij", "abc1234567", "football123", "baseball123", "superman123", "monkey1234", "dragon1234",
            "sunshine123", "princess123", "starwars123", "asdfghjkl1", "zaq12wsxcde", "rowanrowan", "rowan12345",
            "postgres123", "postgresql", "secret1234", "mathesar123");

    private PasswordRules() {
    }

    public static Optional<String> checkUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            return Optional.of("The user name must be 1 to 64 characters: letters, digits, and . _ - @");
        }
        return Optional.empty();
    }

    public static Optional<String> checkPassword(String password, String username) {
        if (password == null || password.length() < MIN_LENGTH) {
            return Optional.of("The password must be at least " + MIN_LENGTH + " characters long.");
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of("The password must be at most " + MAX_LENGTH + " characters long.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (username != null && lower.contains(username.toLowerCase(Locale.ROOT)) && username.length() * 2 >= password.length()) {
            return Optional.of("The password must not be (mostly) the user name.");
        }
        if (password.chars().distinct().count() < 4) {
            return Optional.of("The password must use at least 4 different characters.");
        }
        if (COMMON.contains(lower)) {
            return Optional.of("This password is one of the most commonly used passwords; choose another.");
        }
        return Optional.empty();
    }
}
