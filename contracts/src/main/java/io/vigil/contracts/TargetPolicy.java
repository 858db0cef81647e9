package io.vigil.contracts;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where alerts may be sent: Slack, Teams and webhook targets on loopback, private, link-local or
 * cloud-metadata addresses are refused unless private targets are allowed
 * ({@code VIGIL_ALLOW_PRIVATE_TARGETS=true}). The admin API asks at channel creation, the notifier
 * again at send time (a name may resolve elsewhere later).
 */
public final class TargetPolicy {

    private final boolean allowPrivate;

    public TargetPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /**
     * Checks a target URL: it must be absolute http(s) with a host, and, unless private targets are
     * allowed, every address its host resolves to must be public.
     *
     * @return empty when the target is acceptable, else the reason for people (it never repeats the URL)
     */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return Optional.of("must name a host");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : IDN.toASCII(host);
        if (name.equalsIgnoreCase("localhost") || name.toLowerCase(Locale.ROOT).endsWith(".localhost")
                || name.equalsIgnoreCase("metadata.google.internal")) {
            return Optional.of("points at a loopback or metadata host, which is refused unless VIGIL_ALLOW_PRIVATE_TARGETS=true");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            return Optional.of("has a host name that does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return Optional.of("resolves to a loopback, private, link-local or metadata address, which is refused"
                        + " unless VIGIL_ALLOW_PRIVATE_TARGETS=true");
            }
        }
        return Optional.empty();
    }

    /** True for loopback, private (RFC 1918, ULA, CGNAT), link-local (incl. 169.254.169.254), any-local and multicast. */
    public static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127); // "this network", CGNAT
        }
        int first = bytes[0] & 0xff;
        if ((first & 0xfe) == 0xfc) {
            return true; // fc00::/7 unique local
        }
        boolean v4Mapped = true;
        for (int i = 0; i < 10; i++) {
            v4Mapped &= bytes[i] == 0;
        }
        if (v4Mapped && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff) {
            try {
                return isPrivate(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
            } catch (UnknownHostException e) {
                return true;
            }
        }
        return false;
    }
}
