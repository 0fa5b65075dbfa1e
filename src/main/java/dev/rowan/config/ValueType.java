package dev.rowan.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an option's text is turned into a value, and what a person should be told when it cannot be.
 * Each type throws {@link IllegalArgumentException} with a message that completes the sentence
 * "…is not valid: &lt;message&gt;".
 */
public interface ValueType<T> {

    T parse(String text);

    /** What valid values look like, for error messages and the reference page. */
    String validValues();

    /** The value as a person would write it (the inverse of parse). */
    default String format(T value) {
        return String.valueOf(value);
    }

    /** The text shown for a secret value: everything hidden unless the type knows better. */
    default String mask(String text) {
        return text == null || text.isEmpty() ? text : "********";
    }

    ValueType<String> TEXT = new ValueType<>() {
        public String parse(String text) {
            return text;
        }

        public String validValues() {
            return "any text";
        }
    };

    ValueType<Path> PATH = new ValueType<>() {
        public Path parse(String text) {
            if (text.isBlank()) {
                throw new IllegalArgumentException("expected a file system path, got an empty value");
            }
            try {
                return Path.of(expandHome(text.trim())).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("expected a file system path (" + e.getReason() + ")");
            }
        }

        public String validValues() {
            return "a file system path; a leading ~ means your home directory";
        }
    };

    ValueType<Integer> PORT = new ValueType<>() {
        public Integer parse(String text) {
            try {
                int port = Integer.parseInt(text.trim());
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // falls through to the message below
            }
            throw new IllegalArgumentException("expected a port number from 1 to 65535");
        }

        public String validValues() {
            return "a port number from 1 to 65535";
        }
    };

    static ValueType<Integer> integer(int min, int max) {
        return new ValueType<>() {
            public Integer parse(String text) {
                try {
                    int n = Integer.parseInt(text.trim());
                    if (n >= min && n <= max) {
                        return n;
                    }
                } catch (NumberFormatException ignored) {
                    // falls through to the message below
                }
                throw new IllegalArgumentException("expected " + validValues());
            }

            public String validValues() {
                return "a whole number from " + min + " to " + max;
            }
        };
    }

    ValueType<Duration> DURATION = new ValueType<>() {
        private final Pattern shape = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

        public Duration parse(String text) {
            Matcher m = shape.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("expected " + validValues());
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            if (d.isZero()) {
                throw new IllegalArgumentException("expected a duration longer than zero");
            }
            return d;
        }

        public String validValues() {
            return "a duration such as 90s, 15m, 12h or 14d";
        }

        public String format(Duration d) {
            long s = d.getSeconds();
            if (s % 86400 == 0) return s / 86400 + "d";
            if (s % 3600 == 0) return s / 3600 + "h";
            if (s % 60 == 0) return s / 60 + "m";
            return s + "s";
        }
    };

    /** A comma-separated list of host names or IP addresses, as found in a Host header. */
    ValueType<List<String>> HOST_LIST = new ValueType<>() {
        private final Pattern host = Pattern.compile("\\*|\\.?[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?|\\[[0-9A-Fa-f:.]+]");

        public List<String> parse(String text) {
            List<String> hosts = new ArrayList<>();
            for (String part : text.split(",")) {
                String h = part.trim().toLowerCase(Locale.ROOT);
                if (h.isEmpty()) {
                    continue;
                }
                if (!host.matcher(h).matches()) {
                    throw new IllegalArgumentException("\"" + part.trim() + "\" is not a host name; expected " + validValues());
                }
                hosts.add(h);
            }
            return List.copyOf(hosts);
        }

        public String validValues() {
            return "a comma-separated list of host names or IP addresses (IPv6 in brackets, e.g. [::1]); "
                    + "a name starting with a dot also allows its subdomains; * allows any host";
        }

        public String format(List<String> value) {
            return String.join(",", value);
        }
    };

    /** A comma-separated list of IP addresses or CIDR ranges. */
    ValueType<List<IpRange>> IP_RANGES = new ValueType<>() {
        public List<IpRange> parse(String text) {
            List<IpRange> ranges = new ArrayList<>();
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    ranges.add(IpRange.parse(part.trim()));
                }
            }
            return List.copyOf(ranges);
        }

        public String validValues() {
            return "a comma-separated list of IP addresses or CIDR ranges, e.g. 10.0.0.0/8,::1";
        }

        public String format(List<IpRange> value) {
            return String.join(",", value.stream().map(IpRange::toString).toList());
        }
    };

    /** An absolute http or https URL without query or fragment, e.g. https://rowan.example.org. */
    ValueType<URI> HTTP_URL = new ValueType<>() {
        public URI parse(String text) {
            URI uri;
            try {
                uri = new URI(text.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("expected " + validValues());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("expected " + validValues());
            }
            String s = uri.toString();
            return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        }

        public String validValues() {
            return "an http:// or https:// URL such as https://rowan.example.org";
        }
    };

    ValueType<DatabaseUrl> DATABASE_URL = new ValueType<>() {
        public DatabaseUrl parse(String text) {
            return DatabaseUrl.parse(text.trim());
        }

        public String validValues() {
            return "a PostgreSQL URL: postgres://user:password@host:5432/database?sslmode=require";
        }

        public String format(DatabaseUrl value) {
            return value.toString();
        }

        public String mask(String text) {
            return DatabaseUrl.maskPassword(text);
        }
    };

    ValueType<String> SECRET_KEY = new ValueType<>() {
        public String parse(String text) {
            String key = text.trim();
            if (key.length() < 32) {
                throw new IllegalArgumentException("expected " + validValues() + ", got " + key.length() + " characters");
            }
            return key;
        }

        public String validValues() {
            return "at least 32 characters of random text, e.g. the output of `openssl rand -base64 32`";
        }
    };

    static ValueType<String> oneOf(String... choices) {
        return new ValueType<>() {
            public String parse(String text) {
                String v = text.trim().toLowerCase(Locale.ROOT);
                for (String c : choices) {
                    if (c.equals(v)) {
                        return c;
                    }
                }
                throw new IllegalArgumentException("expected " + validValues());
            }

            public String validValues() {
                return "one of " + String.join(", ", choices);
            }
        };
    }

    private static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }
}
