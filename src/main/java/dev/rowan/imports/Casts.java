package dev.rowan.imports;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of the {@code rowan.cast_to_*} functions (db/rowan-schema/1.sql and 2.sql) in Java, so
 * that an import reads a file's text exactly as a type change of a text column would. Each reader
 * returns the value in PostgreSQL's input syntax, or null where the cast would raise
 * "... is not ...". A test runs every reader against its SQL twin on the same inputs. Times,
 * timestamps and UUIDs have no Rowan cast: their readers accept the forms that mean the same thing
 * whatever the session's DateStyle, and write them in ISO form.
 */
final class Casts {
    private Casts() {
    }

    /** ASCII white space, plus the no-break spaces rowan.trim_to_null also removes. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B || c == '\u00A0' || c == '\u202F';
    }

    /** rowan.trim_to_null: the text without surrounding white space, or null when nothing is left. */
    static String trim(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start))) start++;
        while (end > start && isSpace(value.charAt(end - 1))) end--;
        if (start == end) return null;
        return start == 0 && end == value.length() ? value : value.substring(start, end);
    }

    static boolean isBlank(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!isSpace(value.charAt(i))) return false;
        }
        return true;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** An optional sign and ASCII digits: what PostgreSQL's integer input reads on every supported version. */
    static boolean isWholeNumber(String v) {
        int i = v.charAt(0) == '-' || v.charAt(0) == '+' ? 1 : 0;
        if (i == v.length() || v.length() - i > 19) return false;
        for (; i < v.length(); i++) {
            if (!isDigit(v.charAt(i))) return false;
        }
        return true;
    }

    private static final Pattern PLAIN_NUMBER = Pattern.compile("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]{1,4})?");
    private static final Pattern DECIMAL_COMMA = Pattern.compile("[0-9]+,[0-9]*");
    private static final Pattern ONE_COMMA_GROUP = Pattern.compile("[1-9][0-9]{0,2},[0-9]{3}");
    private static final Pattern COMMA_GROUPS = Pattern.compile("[1-9][0-9]{0,2}(,[0-9]{3})+(\\.[0-9]*)?");
    private static final Pattern DOT_GROUPS = Pattern.compile("[1-9][0-9]{0,2}(\\.[0-9]{3})+(,[0-9]*)?");
    private static final Pattern SPACE_GROUPS = Pattern.compile("[1-9][0-9]{0,2}([ \u00A0\u202F\u2009'’])[0-9]{3}(\\1[0-9]{3})*([.,][0-9]*)?");

    /** rowan.parse_number: a number as people write it, as numeric input text; null when it is not one. */
    static String parseNumber(String value) {
        String v = trim(value);
        if (v == null) return null;
        char first = v.charAt(0);
        String sign = first == '-' || first == '\u2212' ? "-" : "";
        if (first == '-' || first == '+' || first == '\u2212') {
            v = v.substring(1);
            if (v.isEmpty()) return null;
        }
        if (isPlainNumber(v) || PLAIN_NUMBER.matcher(v).matches()) return sign.isEmpty() ? v : sign + v;
        if (DECIMAL_COMMA.matcher(v).matches() && !ONE_COMMA_GROUP.matcher(v).matches()) return sign + v.replace(',', '.');
        if (COMMA_GROUPS.matcher(v).matches()) return sign + v.replace(",", "");
        if (DOT_GROUPS.matcher(v).matches()) return sign + v.replace(".", "").replace(',', '.');
        if (SPACE_GROUPS.matcher(v).matches()) return sign + v.replaceAll("[ \u00A0\u202F\u2009'’]", "").replace(',', '.');
        return null;
    }

    /** The common case of PLAIN_NUMBER without the regex: digits, at most one dot, at least one digit before it. */
    static boolean isPlainNumber(String v) {
        boolean dot = false;
        if (!isDigit(v.charAt(0))) return false;
        for (int i = 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '.' && !dot) {
                dot = true;
            } else if (!isDigit(c)) {
                return false;
            }
        }
        return true;
    }

    /** rowan.cast_to_boolean, as "t" or "f". */
    static String parseBoolean(String value) {
        String v = trim(value);
        if (v == null || v.length() > 5) return null;
        return switch (asciiLower(v)) {
            case "true", "t", "yes", "y", "on", "1" -> "t";
            case "false", "f", "no", "n", "off", "0" -> "f";
            default -> null;
        };
    }

    private static final String[] MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december"};
    private static final Pattern DATE_YMD = Pattern.compile("([0-9]{4})([-/.])([0-9]{1,2})\\2([0-9]{1,2})");
    private static final Pattern DATE_MDY = Pattern.compile("([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})");
    private static final Pattern DATE_DMY = Pattern.compile("([0-9]{1,2})\\.([0-9]{1,2})\\.([0-9]{4})");
    private static final Pattern DATE_NAME_FIRST = Pattern.compile("([a-z]+)\\.?\\s+([0-9]{1,2})(st|nd|rd|th)?,?\\s+([0-9]{4})",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DATE_DAY_FIRST = Pattern.compile("([0-9]{1,2})(st|nd|rd|th)?(\\s+|-)([a-z]+)\\.?,?(\\s+|-)([0-9]{4})",
            Pattern.CASE_INSENSITIVE);

    /** rowan.cast_to_date, as yyyy-mm-dd. */
    static String parseDate(String value) {
        String v = trim(value);
        if (v == null) return null;
        int y;
        int m;
        int d;
        boolean iso = v.length() == 10 && v.charAt(4) == '-' && v.charAt(7) == '-' && allDigits(v, 0, 4) && allDigits(v, 5, 7) && allDigits(v, 8, 10);
        if (iso) {
            y = number(v, 0, 4);
            m = number(v, 5, 7);
            d = number(v, 8, 10);
        } else {
            Matcher x;
            if ((x = DATE_YMD.matcher(v)).matches()) {
                y = Integer.parseInt(x.group(1));
                m = Integer.parseInt(x.group(3));
                d = Integer.parseInt(x.group(4));
            } else if ((x = DATE_MDY.matcher(v)).matches()) {
                m = Integer.parseInt(x.group(1));
                d = Integer.parseInt(x.group(2));
                y = Integer.parseInt(x.group(3));
            } else if ((x = DATE_DMY.matcher(v)).matches()) {
                d = Integer.parseInt(x.group(1));
                m = Integer.parseInt(x.group(2));
                y = Integer.parseInt(x.group(3));
            } else if ((x = DATE_NAME_FIRST.matcher(v)).matches()) {
                m = month(x.group(1));
                d = Integer.parseInt(x.group(2));
                y = Integer.parseInt(x.group(4));
            } else if ((x = DATE_DAY_FIRST.matcher(v)).matches()) {
                d = Integer.parseInt(x.group(1));
                m = month(x.group(4));
                y = Integer.parseInt(x.group(6));
            } else {
                return null;
            }
        }
        if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return null;
        return iso ? v : formatDate(y, m, d);
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static int month(String name) {
        if (name.length() < 3) return 0;
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].startsWith(lower)) return i + 1;
        }
        return 0;
    }

    private static String formatDate(int y, int m, int d) {
        char[] out = new char[10];
        out[0] = (char) ('0' + y / 1000);
        out[1] = (char) ('0' + y / 100 % 10);
        out[2] = (char) ('0' + y / 10 % 10);
        out[3] = (char) ('0' + y % 10);
        out[4] = '-';
        out[5] = (char) ('0' + m / 10);
        out[6] = (char) ('0' + m % 10);
        out[7] = '-';
        out[8] = (char) ('0' + d / 10);
        out[9] = (char) ('0' + d % 10);
        return new String(out);
    }

    private static boolean allDigits(String v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(v.charAt(i))) return false;
        }
        return true;
    }

    private static int number(String v, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) n = n * 10 + (v.charAt(i) - '0');
        return n;
    }

    private static final Pattern TIME_OF_DAY = Pattern.compile("([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?\\s*([AaPp][Mm])?");
    private static final Pattern DATE_TIME = Pattern.compile("(.+?)(?:T|\\s+)([0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?(?:\\s*[AaPp][Mm])?)"
            + "\\s*(Z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)?");

    /** A time of day, 24-hour or with AM/PM, as hh:mm:ss[.fraction]. */
    static String parseTime(String v) {
        if (v == null) return null;
        Matcher t = TIME_OF_DAY.matcher(v);
        if (!t.matches()) return null;
        int h = Integer.parseInt(t.group(1));
        int min = Integer.parseInt(t.group(2));
        int s = t.group(3) == null ? 0 : Integer.parseInt(t.group(3));
        if (t.group(5) != null) {
            if (h < 1 || h > 12) return null;
            boolean pm = Character.toLowerCase(t.group(5).charAt(0)) == 'p';
            h = h % 12 + (pm ? 12 : 0);
        }
        if (h > 23 || min > 59 || s > 59) return null;
        StringBuilder out = new StringBuilder(15);
        two(out, h).append(':');
        two(out, min).append(':');
        two(out, s);
        if (t.group(4) != null) out.append('.').append(t.group(4));
        return out.toString();
    }

    private static StringBuilder two(StringBuilder out, int n) {
        return out.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /**
     * A date as rowan.cast_to_date reads it, optionally followed by a time of day (after "T" or
     * spaces) and, where {@code zoned}, a UTC offset or Z. A date alone is midnight. Without a time
     * zone, a value for a column with time zones is read in the session's zone (UTC unless the server says otherwise).
     */
    static String parseTimestamp(String value, boolean zoned) {
        String v = trim(value);
        if (v == null) return null;
        String iso = isoTimestamp(v);
        if (iso != null) return iso;
        String date = parseDate(v);
        if (date != null) return date + " 00:00:00";
        Matcher m = DATE_TIME.matcher(v);
        if (!m.matches()) return null;
        String day = parseDate(m.group(1));
        String time = parseTime(m.group(2));
        if (day == null || time == null) return null;
        String zone = m.group(3);
        if (zone == null) return day + " " + time;
        if (!zoned) return null;
        return day + " " + time + offset(zone);
    }

    /** The fast path for the usual machine-written form: yyyy-mm-dd[T ]hh:mm[:ss[.fraction]], no zone. */
    private static String isoTimestamp(String v) {
        int n = v.length();
        if (n < 16 || v.charAt(4) != '-' || v.charAt(7) != '-' || (v.charAt(10) != ' ' && v.charAt(10) != 'T') || v.charAt(13) != ':'
                || !allDigits(v, 0, 4) || !allDigits(v, 5, 7) || !allDigits(v, 8, 10) || !allDigits(v, 11, 13) || !allDigits(v, 14, 16)) {
            return null;
        }
        int seconds = 0;
        int end = 16;
        if (n > 16) {
            if (n < 19 || v.charAt(16) != ':' || !allDigits(v, 17, 19)) return null;
            seconds = number(v, 17, 19);
            end = 19;
            if (n > 19) {
                if (v.charAt(19) != '.' || n == 20 || n > 29 || !allDigits(v, 20, n)) return null;
                end = n;
            }
        }
        int y = number(v, 0, 4);
        int m = number(v, 5, 7);
        int d = number(v, 8, 10);
        if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)
                || number(v, 11, 13) > 23 || number(v, 14, 16) > 59 || seconds > 59) {
            return null;
        }
        if (end == n && end > 16 && v.charAt(10) == ' ') return v;
        return v.substring(0, 10) + " " + v.substring(11, 16) + (end == 16 ? ":00" : v.substring(16, end));
    }

    private static String offset(String zone) {
        if (zone.equals("Z") || zone.equals("UTC") || zone.equals("GMT")) return "+00:00";
        String digits = zone.substring(1).replace(":", "");
        return zone.charAt(0) + digits.substring(0, 2) + ":" + (digits.length() > 2 ? digits.substring(2) : "00");
    }

    /** PostgreSQL's uuid input: 32 hex digits, a hyphen allowed after any group of four, optionally in braces. */
    static String parseUuid(String v) {
        if (v == null) return null;
        if (v.startsWith("{") && v.endsWith("}")) v = v.substring(1, v.length() - 1);
        StringBuilder hex = new StringBuilder(32);
        boolean lastHyphen = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '-') {
                if (lastHyphen || hex.length() == 0 || hex.length() % 4 != 0 || hex.length() == 32) return null;
                lastHyphen = true;
            } else if (Character.digit(c, 16) >= 0 && c < 128) {
                if (hex.length() == 32) return null;
                hex.append(Character.toLowerCase(c));
                lastHyphen = false;
            } else {
                return null;
            }
        }
        if (hex.length() != 32 || lastHyphen) return null;
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    private static final Pattern BRACKETED = Pattern.compile("[^<>]*<([^<>]+)>", Pattern.DOTALL);
    private static final Pattern EMAIL_SHAPE = Pattern.compile("[^@]{1,64}@[^@]+", Pattern.DOTALL);
    private static final Pattern EMAIL_FORBIDDEN = Pattern.compile("[\\s\"(),:;<>\\[\\]\\\\]");
    private static final Pattern EMAIL_EMPTY_PART = Pattern.compile("^\\.|\\.@|\\.\\.");
    private static final Pattern EMAIL_DOMAIN = Pattern.compile("@[^.]+(\\.[^.]+)+\\z", Pattern.DOTALL);
    private static final Pattern EMAIL_DOMAIN_SYMBOL = Pattern.compile("@[^@]*[!#$%&'*+/=?^_`{|}~]", Pattern.DOTALL);
    private static final Pattern EMAIL_HYPHEN = Pattern.compile("@([^@]*\\.)?-|-(\\.[^@]*)?\\z", Pattern.DOTALL);
    private static final Pattern EMAIL_LONG_LABEL = Pattern.compile("@([^@]*\\.)?[^.@]{64}", Pattern.DOTALL);
    private static final Pattern EMAIL_TLD = Pattern.compile("\\.[^.@]{2,}\\z", Pattern.DOTALL);
    private static final Pattern EMAIL_NUMERIC_TLD = Pattern.compile("\\.[0-9]+\\z");

    /** rowan.cast_to_email; null when it refuses. */
    static String parseEmail(String value) {
        String v = trim(value);
        if (v == null) return null;
        if (v.indexOf('<') >= 0) {
            Matcher b = BRACKETED.matcher(v);
            if (b.matches()) {
                v = trim(b.group(1));
                if (v == null) return null;
            }
        }
        if (v.length() >= 7 && asciiLower(v.substring(0, 7)).equals("mailto:")) v = v.substring(7);
        int at = v.indexOf('@');
        if (at > 0 && at == v.lastIndexOf('@') && at < v.length() - 1) {
            v = v.substring(0, at + 1) + asciiLower(v.substring(at + 1));
        }
        return isEmail(v) ? v : null;
    }

    /** rowan.is_email: by hand for ASCII text (the regular expressions cost ten times more), by them otherwise. */
    static boolean isEmail(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) >= 0x80) return isEmailByPatterns(v);
        }
        return isAsciiEmail(v);
    }

    static boolean isEmailByPatterns(String v) {
        return v.codePointCount(0, v.length()) <= 254
                && EMAIL_SHAPE.matcher(v).matches()
                && !EMAIL_FORBIDDEN.matcher(v).find()
                && !EMAIL_EMPTY_PART.matcher(v).find()
                && EMAIL_DOMAIN.matcher(v).find()
                && !EMAIL_DOMAIN_SYMBOL.matcher(v).find()
                && !EMAIL_HYPHEN.matcher(v).find()
                && !EMAIL_LONG_LABEL.matcher(v).find()
                && EMAIL_TLD.matcher(v).find() && !EMAIL_NUMERIC_TLD.matcher(v).find();
    }

    /** The rules of rowan.is_email, one by one, for text of ASCII characters only. */
    static boolean isAsciiEmail(String v) {
        int n = v.length();
        int at = v.indexOf('@');
        if (n > 254 || at < 1 || at > 64 || at == n - 1 || v.indexOf('@', at + 1) >= 0) return false;
        if (v.charAt(0) == '.') return false;
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            switch (c) {
                case ' ', '\t', '\n', 0x0B, '\f', '\r', '"', '(', ')', ',', ':', ';', '<', '>', '[', ']', '\\':
                    return false;
                case '.':
                    if (i + 1 < n && (v.charAt(i + 1) == '.' || v.charAt(i + 1) == '@')) return false;
                    break;
                default:
                    break;
            }
        }
        int labels = 0;
        int start = at + 1;
        while (true) {
            int dot = v.indexOf('.', start);
            int end = dot < 0 ? n : dot;
            int length = end - start;
            if (length == 0 || length > 63 || v.charAt(start) == '-' || v.charAt(end - 1) == '-') return false;
            boolean digits = true;
            for (int i = start; i < end; i++) {
                char c = v.charAt(i);
                if ("!#$%&'*+/=?^_`{|}~".indexOf(c) >= 0) return false;
                if (c < '0' || c > '9') digits = false;
            }
            labels++;
            if (dot < 0) return labels >= 2 && length >= 2 && !digits;
            start = dot + 1;
        }
    }

    private static final Pattern URI_WITH_AUTHORITY = Pattern.compile("^[a-z][a-z0-9+.-]*://", Pattern.CASE_INSENSITIVE);
    private static final Pattern URI_WITH_SCHEME = Pattern.compile("^[a-z][a-z0-9+-]*:(?![0-9]{1,5}([/?#]|\\z))", Pattern.CASE_INSENSITIVE);
    private static final Pattern URI_EMPTY_HOST = Pattern.compile("^[^:]*://([/?#]|\\z)");
    private static final String NAME_CHAR = "A-Za-z0-9\u00A1-\uFFFF";
    private static final Pattern BARE_HOST = Pattern.compile("(([0-9]{1,3}\\.){3}[0-9]{1,3}"
            + "|([" + NAME_CHAR + "]([" + NAME_CHAR + "-]{0,61}[" + NAME_CHAR + "])?\\.)+"
            + "[A-Za-z\u00A1-\uFFFF][" + NAME_CHAR + "-]*[" + NAME_CHAR + "])"
            + "(:[0-9]{1,5})?([/?#].*)?", Pattern.DOTALL);
    private static final Pattern URI_SHAPE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.", Pattern.DOTALL);
    private static final Pattern URI_FORBIDDEN = Pattern.compile("[\\s\\p{Cntrl}<>\"{}|\\\\^`]");
    private static final Pattern URI_BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    private static final Pattern URI_TWO_FRAGMENTS = Pattern.compile("#.*#", Pattern.DOTALL);

    /** rowan.cast_to_uri; null when it refuses. */
    static String parseUri(String value) {
        String v = trim(value);
        if (v == null) return null;
        String result = null;
        if (URI_WITH_AUTHORITY.matcher(v).find() || URI_WITH_SCHEME.matcher(v).find()) {
            int colon = v.indexOf(':');
            result = asciiLower(v.substring(0, colon)) + v.substring(colon);
            if (URI_EMPTY_HOST.matcher(result).find() && !result.startsWith("file:")) result = null;
        } else if (BARE_HOST.matcher(v).matches()) {
            result = "http://" + v;
        }
        if (result == null || !URI_SHAPE.matcher(result).find() || URI_FORBIDDEN.matcher(result).find()
                || URI_BAD_ESCAPE.matcher(result).find() || URI_TWO_FRAGMENTS.matcher(result).find()) {
            return null;
        }
        return result;
    }

    private static final String CURRENCY = "([A-Z]{0,2}[$¢£¥€₩₪₫₭₱₹₺₽₴₦฿]|[A-Z]{3})";
    private static final Pattern MONEY_PARTS = Pattern.compile("([-+\u2212]?)\\s*" + CURRENCY + "?\\s*([-+\u2212]?)\\s*"
            + "([0-9.,][0-9.,'’ \u00A0\u202F\u2009]*)\\s*" + CURRENCY + "?");

    /** rowan.cast_to_money, as numeric input text; null when it refuses. */
    static String parseMoney(String value) {
        String v = trim(value);
        if (v == null) return null;
        if (isPlainNumber(v)) return v;
        boolean negative = false;
        if (v.length() >= 2 && v.charAt(0) == '(' && v.charAt(v.length() - 1) == ')') {
            negative = true;
            v = spacesTrimmed(v.substring(1, v.length() - 1));
        }
        Matcher p = MONEY_PARTS.matcher(v);
        if (!p.matches()) return null;
        String sign1 = p.group(1);
        String sign2 = p.group(3);
        if (p.group(2) != null && p.group(5) != null) return null;
        if (!sign1.isEmpty() && !sign2.isEmpty()) return null;
        if (negative && !(sign1 + sign2).isEmpty()) return null;
        String amount = parseNumber(sign1 + sign2 + p.group(4));
        if (amount == null) return null;
        if (!negative) return amount;
        return amount.startsWith("-") ? amount.substring(1) : "-" + amount;
    }

    /** btrim(v): only the space character, not other white space. */
    private static String spacesTrimmed(String v) {
        int start = 0;
        int end = v.length();
        while (start < end && v.charAt(start) == ' ') start++;
        while (end > start && v.charAt(end - 1) == ' ') end--;
        return v.substring(start, end);
    }

    /** lower(... COLLATE "C"): only A to Z change. */
    private static String asciiLower(String s) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) out = s.toCharArray();
                out[i] = (char) (c + 32);
            }
        }
        return out == null ? s : new String(out);
    }
}
