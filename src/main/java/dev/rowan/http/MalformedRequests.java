package dev.rowan.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rowan.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Answers requests that Jetty refuses before any route sees them (a request line or headers over
 * the size limit, a malformed request) with a problem document instead of Jetty's HTML page, so the
 * web interface and scripts can explain them like every other error.
 */
final class MalformedRequests extends ErrorHandler {
    /**
     * The request line and headers together. Jetty's default, 8 KiB, is less than a grid filter with a
     * few dozen conditions needs in its URL; 64 KiB fits hundreds and is still no memory risk, since a
     * connection buffers only what a request really sends.
     */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        Problem problem = problem(status, reason);
        fields.put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        try {
            return ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(Json.document(problem)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Problem problem(int status, String reason) {
        return switch (status) {
            case 414 -> new Problem(414, "uri_too_long", "The address is too long",
                    "The request's address (with its query) is longer than the " + MAX_HEADER_BYTES / 1024 + " KiB Rowan reads.",
                    "Use fewer or shorter filter conditions; a proxy in front of Rowan may allow less than Rowan does.");
            case 431 -> new Problem(431, "headers_too_large", "The request headers are too large",
                    "The request's headers are larger than the " + MAX_HEADER_BYTES / 1024 + " KiB Rowan reads.",
                    "Remove cookies of other sites on this host name, or use fewer or shorter filter conditions.");
            default -> new Problem(status, "malformed_request", "The request is malformed",
                    "Rowan could not read this HTTP request" + (reason == null ? "." : ": " + reason + "."),
                    "Send a well-formed HTTP/1.1 request.");
        };
    }
}
