package dev.rowan.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** One IP address or CIDR range, such as 10.0.0.0/8 or ::1. Only literal addresses: no name lookups. */
public final class IpRange {
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final byte[] network;
    private final int prefix;
    private final String text;

    private IpRange(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    public static IpRange parse(String text) {
        String[] parts = text.split("/", 2);
        String address = parts[0].startsWith("[") && parts[0].endsWith("]")
                ? parts[0].substring(1, parts[0].length() - 1) : parts[0];
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR range (e.g. 10.0.0.0/8 or ::1)");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (parts.length == 2) {
            try {
                prefix = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("\"" + text + "\" has a prefix length outside 0–" + max);
            }
        }
        return new IpRange(bytes, prefix, text);
    }

    /** True when the address (as a literal string, e.g. from a socket) lies in this range. */
    public boolean contains(String address) {
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        bytes = unmapIpv4(bytes);
        byte[] net = unmapIpv4(network);
        int bits = prefix - (network.length - net.length) * 8;
        if (bytes.length != net.length) {
            return false;
        }
        for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((bytes[i] & mask) != (net[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] unmapIpv4(byte[] bytes) {
        if (bytes.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) return bytes;
            }
            if (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
                return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
            }
        }
        return bytes;
    }

    private static byte[] literal(String address) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        if (a.isEmpty() || !LITERAL.matcher(a).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
