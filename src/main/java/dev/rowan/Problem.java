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

    public Problem(int status, String code, String title, String detail, String hint) {
        this(status, code, title, detail, hint, Map.of());
    }

    public Problem(int status, String code, String title, String detail, String hint, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.hint = hint;
        this.headers = Map.copyOf(headers);
    }

    public int status() { return status; }
    public String code() { return code; }
    public String title() { return title; }
    public String detail() { return getMessage(); }
    public String hint() { return hint; }
    public Map<String, String> headers() { return headers; }
}
