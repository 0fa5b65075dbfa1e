package dev.rowan.http;

import dev.rowan.Problem;
import io.javalin.http.Context;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Every request body is read through a stream that counts the bytes as they come and stops at a
 * limit, whether the body announces its length or is chunked: Jetty and Javalin check only a
 * Content-Length, so a chunked body used to be read whole, before the request was even signed in.
 * A request starts with the small limit for the signed-out requests (sign-in, setup); a signed-in
 * session raises it ({@link #signedIn}), and imports, which stream their upload to disk under a
 * limit of their own, lift it ({@link #lift}). Over the limit the request is answered 413 without
 * Rowan reading the rest, and the connection is closed after the answer (Jetty discards what the
 * client has already sent, without keeping it).
 */
final class BodyLimit implements Filter {
    /** Sign-in and setup bodies are a name, a password of at most 1024 characters and a token. */
    static final long SIGNED_OUT = 64 * 1024;
    /** Javalin's own default, which JSON requests of signed-in users have always been held to. */
    static final long SIGNED_IN = 1_000_000;

    /** Javalin hands routes its own wrapper of the request, so routes find the limit through this attribute. */
    private static final String ATTRIBUTE = BodyLimit.class.getName();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http) {
            LimitedRequest limited = new LimitedRequest(http);
            request.setAttribute(ATTRIBUTE, limited);
            request = limited;
        }
        chain.doFilter(request, response);
    }

    /** The request comes from a signed-in session: it may carry a JSON body of the usual size. */
    static void signedIn(Context ctx) {
        raise(ctx, SIGNED_IN);
    }

    /** For uploads, which enforce their own limit while streaming to disk. */
    static void lift(Context ctx) {
        raise(ctx, Long.MAX_VALUE);
    }

    private static void raise(Context ctx, long limit) {
        if (ctx.req().getAttribute(ATTRIBUTE) instanceof LimitedRequest r && r.limit < limit) {
            r.limit = limit;
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private volatile long limit = SIGNED_OUT;
        private LimitedInputStream stream;

        LimitedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream(this, super.getInputStream());
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        Problem tooLarge() {
            boolean signedOut = limit <= SIGNED_OUT;
            return new Problem(413, "body_too_large", "The request body is too large",
                    "This request may carry at most " + describe(limit) + (signedOut ? " before signing in." : "."),
                    signedOut ? "Sign-in and setup take a short JSON object {username, password}; sign in before sending anything larger."
                            : "Send less at once; to load many rows, import them as a CSV file (imports take large files).",
                    Map.of("Connection", "close"));
        }

        private static String describe(long bytes) {
            return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes / 1_000_000 + " MB";
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {
        private final LimitedRequest request;
        private final ServletInputStream in;
        private long read;

        LimitedInputStream(LimitedRequest request, ServletInputStream in) {
            this.request = request;
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            checkDeclaredLength();
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            checkDeclaredLength();
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        /** A body that says up front it is too large is refused before a byte of it is read. */
        private void checkDeclaredLength() {
            if (read == 0 && request.getContentLengthLong() > request.limit) {
                throw request.tooLarge();
            }
        }

        private void counted(int n) {
            read += n;
            if (read > request.limit) {
                throw request.tooLarge();
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
