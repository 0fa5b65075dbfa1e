package dev.rowan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void portDefaultsTo5432AndPasswordIsOptional() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://rowan@db/rowan_internal");
        assertEquals(5432, u.port());
        assertNull(u.password());
        assertEquals("jdbc:postgresql://db:5432/rowan_internal", u.jdbcUrl());
        assertEquals("rowan@db:5432/rowan_internal", u.describe());
    }

    @Test
    void ipv6HostsKeepTheirBracketsInUrls() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://u:p@[::1]:5433/d");
        assertEquals("::1", u.host());
        assertEquals("jdbc:postgresql://[::1]:5433/d", u.jdbcUrl());
    }

    @Test
    void toStringNeverShowsThePassword() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://u:topsecret@h/d?sslmode=verify-full");
        assertFalse(u.toString().contains("topsecret"));
        assertEquals("postgres://u:********@h:5432/d?sslmode=verify-full", u.toString());
    }

    @Test
    void maskingHidesOnlyThePassword() {
        assertEquals("postgres://u:********@h/d", DatabaseUrl.maskPassword("postgres://u:p@ss@h/d"));
        assertEquals("postgres://u@h/d", DatabaseUrl.maskPassword("postgres://u@h/d"));
        assertEquals("********", DatabaseUrl.maskPassword("garbage with secret"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mysql://u:p@h/d | postgres:// or postgresql://",
            "postgres://u:p@h | database name is missing",
            "postgres://u:p@h/ | database name is missing",
            "postgres://h/d | user name is missing",
            "postgres://u:p@h/d?sslmode=sometimes | sslmode must be one of",
            "postgres://u:p w@h/d | not a well-formed URL",
            "postgres:///d | host is missing"})
    void malformedUrlsSayWhatIsWrong(String url, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(url));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains(":p@"), e.getMessage());
    }
}
