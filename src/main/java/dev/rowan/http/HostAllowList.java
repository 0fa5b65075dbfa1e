package dev.rowan.http;

import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The host names Rowan answers to: allowed.hosts plus the host of public.url. */
final class HostAllowList {
    private final List<String> hosts;

    HostAllowList(Settings settings) {
        List<String> list = new ArrayList<>(settings.get(Options.ALLOWED_HOSTS));
        settings.find(Options.PUBLIC_URL).ifPresent(url -> list.add(url.getHost().toLowerCase(Locale.ROOT)));
        this.hosts = List.copyOf(list);
    }

    boolean allows(String hostName) {
        if (hostName.isEmpty()) return false;
        for (String allowed : hosts) {
            if (allowed.equals("*") || allowed.equals(hostName)) return true;
            if (allowed.startsWith(".") && (hostName.endsWith(allowed) || hostName.equals(allowed.substring(1)))) return true;
        }
        return false;
    }

    List<String> hosts() {
        return hosts;
    }
}
