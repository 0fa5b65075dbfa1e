package dev.rowan;

import java.util.Map;

/**
 * A request that cannot be done, described for the person who asked: HTTP status, a stable code,
 * a title, the detail and a hint on what to do. Answered as application/problem+json.
 */
public class Problem extends RuntimeException {
    private final int status;
    private final String code;
    private final String title;
    private final String hint;
    private final Map<String, String> headers;
    private final Map<String, Object> extensions;

    public Problem(int status, String code, String title, String detail, String hint) {
        this(status, code, title, detail, hint, Map.of(), Map.of());
    }

    public Problem(int status, String code, String title, String detail, String hint, Map<String, String> headers) {
        this(status, code, title, detail, hint, headers, Map.of());
    }

    /** With extension members: more fields of the problem document, e.g. the checks of a failed connection test. */
    public Problem(int status, String code, String title, String detail, String hint, Map<String, String> headers,
                   Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.hint = hint;
        this.headers = Map.copyOf(headers);
        this.extensions = Map.copyOf(extensions);
    }

    public int status() { return status; }
    public String code() { return code; }
    public String title() { return title; }
    public String detail() { return getMessage(); }
    public String hint() { return hint; }
    public Map<String, String> headers() { return headers; }
    public Map<String, Object> extensions() { return extensions; }
}
