package dev.rowan.http;

import dev.rowan.config.IpRange;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/**
 * Who is asking, and for which host and scheme. X-Forwarded-* headers count only when the
 * connection comes from a trusted proxy; otherwise they are ignored.
 */
record ClientInfo(String address, String scheme, String host) {

    static ClientInfo of(Context ctx, List<IpRange> trustedProxies) {
        String remote = ctx.req().getRemoteAddr();
        String scheme = ctx.scheme();
        String host = ctx.header("Host");
        if (isTrusted(remote, trustedProxies)) {
            String forwardedFor = ctx.header("X-Forwarded-For");
            if (forwardedFor != null) {
                String[] hops = forwardedFor.split(",");
                for (int i = hops.length - 1; i >= 0; i--) {
                    String hop = hops[i].trim();
                    if (hop.isEmpty()) continue;
                    remote = hop;
                    if (!isTrusted(hop, trustedProxies)) break;
                }
            }
            String proto = first(ctx.header("X-Forwarded-Proto"));
            if (proto != null) scheme = proto.toLowerCase(Locale.ROOT);
            String forwardedHost = first(ctx.header("X-Forwarded-Host"));
            if (forwardedHost != null) host = forwardedHost;
        }
        return new ClientInfo(remote, scheme, host);
    }

    /** The host name without port, lower case; IPv6 literals keep their brackets. */
    String hostName() {
        if (host == null) return "";
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static boolean isTrusted(String address, List<IpRange> trusted) {
        for (IpRange r : trusted) {
            if (r.contains(address)) return true;
        }
        return false;
    }

    private static String first(String header) {
        if (header == null) return null;
        String v = header.split(",")[0].trim();
        return v.isEmpty() ? null : v;
    }
}
