package io.vigil.contracts;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where alerts may be sent: Slack, Teams and webhook targets on loopback, private, link-local, reserved or
 * cloud-metadata addresses are refused unless private targets are allowed ({@code VIGIL_ALLOW_PRIVATE_TARGETS=true}).
 * The admin API asks at channel creation ({@link #refusal}); the notifier asks at every send ({@link #check}), which
 * resolves the host once and answers the checked address to connect to, so a name that resolves elsewhere the next
 * time (DNS rebinding) cannot move the connection. A host written as a number is read the way C's {@code inet_aton}
 * (and so curl and browsers) read it: {@code 2130706433}, {@code 0177.0.0.1} and {@code 0x7f.1} are all 127.0.0.1.
 */
public final class TargetPolicy {

    /** A name lookup: every address a host name resolves to. */
    @FunctionalInterface
    public interface Lookup {

        InetAddress[] all(String host) throws UnknownHostException;
    }

    /**
     * A target that passed the check: where to connect ({@code address}, the first of the checked {@code addresses})
     * and the names the request keeps ({@code host} for the Host header and TLS SNI).
     *
     * @param host       the URL's host as written (an IPv6 literal without brackets), for TLS SNI and certificate checks
     * @param requestUri the path and query to request ({@code /} at least)
     */
    public record Target(String scheme, String host, int port, String requestUri, InetAddress address,
                         List<InetAddress> addresses, boolean defaultPort) {

        public boolean https() {
            return scheme.equals("https");
        }

        /** The Host header: the host (an IPv6 literal in brackets) and the port when the URL named a non-default one. */
        public String hostHeader() {
            String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return defaultPort ? name : name + ":" + port;
        }
    }

    /** The outcome of {@link #check}: a target, or the reason it is refused (for people; it never repeats the URL). */
    public record Checked(Target target, String refusal) {

        public boolean refused() {
            return refusal != null;
        }
    }

    private static final String PRIVATE = ", which is refused unless VIGIL_ALLOW_PRIVATE_TARGETS=true";

    private final boolean allowPrivate;
    private final Lookup lookup;

    public TargetPolicy(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    /** With a given name lookup (tests; the default is the system resolver). */
    public TargetPolicy(boolean allowPrivate, Lookup lookup) {
        this.allowPrivate = allowPrivate;
        this.lookup = lookup;
    }

    /**
     * Checks a target URL: it must be absolute http(s) with a host, and, unless private targets are
     * allowed, every address its host resolves to must be public. With private targets allowed no name is looked up.
     *
     * @return empty when the target is acceptable, else the reason for people (it never repeats the URL)
     */
    public Optional<String> refusal(String url) {
        Parsed parsed = parse(url);
        if (parsed.refusal != null) {
            return Optional.of(parsed.refusal);
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        return Optional.ofNullable(resolve(parsed).refusal());
    }

    /** Checks a target URL and resolves its host once: the address to connect to is one that was checked. */
    public Checked check(String url) {
        Parsed parsed = parse(url);
        if (parsed.refusal != null) {
            return new Checked(null, parsed.refusal);
        }
        return resolve(parsed);
    }

    private record Parsed(URI uri, String scheme, String host, String refusal) {
    }

    private static Parsed parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return new Parsed(null, null, null, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return new Parsed(null, null, null, "must be an http or https URL");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return new Parsed(null, null, null, "must name a host");
        }
        return new Parsed(uri, scheme, host, null);
    }

    private Checked resolve(Parsed parsed) {
        String host = parsed.host;
        InetAddress[] addresses;
        String name;
        if (host.startsWith("[")) {
            name = host.substring(1, host.length() - 1);
            try {
                addresses = new InetAddress[] {InetAddress.getByName(name)}; // a literal: no lookup
            } catch (UnknownHostException e) {
                return new Checked(null, "has an IPv6 address that is not valid");
            }
        } else {
            byte[] numeric;
            try {
                numeric = numericIpv4(host);
            } catch (IllegalArgumentException e) {
                return new Checked(null, "has a numeric host that is not a valid IPv4 address");
            }
            if (numeric != null) {
                name = host;
                try {
                    addresses = new InetAddress[] {InetAddress.getByAddress(numeric)};
                } catch (UnknownHostException e) {
                    return new Checked(null, "has a numeric host that is not a valid IPv4 address");
                }
            } else {
                try {
                    name = IDN.toASCII(host);
                } catch (IllegalArgumentException e) {
                    return new Checked(null, "has a host name that is not valid");
                }
                String bare = name.toLowerCase(Locale.ROOT).replaceAll("\\.+$", "");
                if (!allowPrivate && (bare.equals("localhost") || bare.endsWith(".localhost")
                        || bare.equals("metadata.google.internal") || bare.equals("metadata"))) {
                    return new Checked(null, "points at a loopback or metadata host" + PRIVATE);
                }
                try {
                    addresses = lookup.all(name);
                } catch (UnknownHostException | RuntimeException e) {
                    return new Checked(null, "has a host name that does not resolve");
                }
                if (addresses == null || addresses.length == 0) {
                    return new Checked(null, "has a host name that does not resolve");
                }
            }
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (isPrivate(address)) {
                    return new Checked(null, "resolves to a loopback, private, link-local, reserved or metadata address"
                            + PRIVATE);
                }
            }
        }
        URI uri = parsed.uri;
        boolean defaultPort = uri.getPort() < 0;
        int port = defaultPort ? (parsed.scheme.equals("https") ? 443 : 80) : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Checked(new Target(parsed.scheme, name, port, requestUri, addresses[0], List.of(addresses),
                defaultPort), null);
    }

    /**
     * A host whose last part is a number, as the IPv4 address {@code inet_aton} reads (1 to 4 dot-separated parts,
     * each decimal, {@code 0}-prefixed octal or {@code 0x}-prefixed hex, the last filling the remaining bytes); null
     * when the host is a name.
     *
     * @throws IllegalArgumentException when it is numeric but no valid address
     */
    static byte[] numericIpv4(String host) {
        String[] parts = host.endsWith(".") ? host.substring(0, host.length() - 1).split("\\.", -1) : host.split("\\.", -1);
        if (parts.length == 0 || parts.length > 4) {
            return null;
        }
        // as URLs are read: the host is an IPv4 address when its last part is a number, else a name
        if (!parts[parts.length - 1].toLowerCase(Locale.ROOT).matches("0x[0-9a-f]*|[0-9]+")) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].toLowerCase(Locale.ROOT);
            try {
                if (part.startsWith("0x")) {
                    values[i] = part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
                } else if (part.length() > 1 && part.startsWith("0")) {
                    values[i] = Long.parseLong(part.substring(1), 8);
                } else {
                    values[i] = Long.parseLong(part);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: " + part);
            }
            if (values[i] < 0) {
                throw new IllegalArgumentException("negative");
            }
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                throw new IllegalArgumentException("part over 255");
            }
            address = address << 8 | values[i];
        }
        int restBytes = 4 - (parts.length - 1);
        long last = values[parts.length - 1];
        if (last >= 1L << (8 * restBytes)) {
            throw new IllegalArgumentException("last part too large");
        }
        address = address << (8 * restBytes) | last;
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    /**
     * True for loopback, private (RFC 1918, ULA, CGNAT), link-local (incl. 169.254.169.254), any-local, multicast,
     * reserved ({@code 0.0.0.0/8}, {@code 192.0.0.0/24}, {@code 198.18.0.0/15}, {@code 240.0.0.0/4} with the broadcast
     * address) and the IPv6 forms that carry an IPv4 address: IPv4-mapped {@code ::ffff:a.b.c.d} and 6to4
     * {@code 2002::/16} when that address is private, IPv4-compatible {@code ::a.b.c.d} and NAT64 {@code 64:ff9b::/96}
     * (and the local-use {@code 64:ff9b:1::/48}) always.
     */
    public static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address || bytes.length == 4) {
            return privateIpv4(bytes);
        }
        int first = bytes[0] & 0xff;
        if ((first & 0xfe) == 0xfc) {
            return true; // fc00::/7 unique local
        }
        if (allZero(bytes, 0, 10)) {
            if ((bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff) {
                return privateIpv4(Arrays.copyOfRange(bytes, 12, 16)); // ::ffff:a.b.c.d, IPv4-mapped
            }
            if (bytes[10] == 0 && bytes[11] == 0) {
                return true; // ::a.b.c.d, IPv4-compatible (deprecated; no public use), and :: and ::1
            }
        }
        if ((bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b) {
            // 64:ff9b::/96 (well-known NAT64) and 64:ff9b:1::/48 (local-use NAT64): a gateway to any IPv4 address
            if (allZero(bytes, 4, 12) || (bytes[4] == 0 && bytes[5] == 1)) {
                return true;
            }
        }
        if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02) {
            return privateIpv4(Arrays.copyOfRange(bytes, 2, 6)); // 2002:aabb:ccdd::/48, 6to4 of a.b.c.d
        }
        return false;
    }

    private static boolean privateIpv4(byte[] bytes) {
        int a = bytes[0] & 0xff;
        int b = bytes[1] & 0xff;
        int c = bytes[2] & 0xff;
        return a == 0                                   // "this network"
                || a == 10                              // RFC 1918
                || a == 127                             // loopback
                || (a == 100 && b >= 64 && b <= 127)    // CGNAT
                || (a == 169 && b == 254)               // link-local, cloud metadata
                || (a == 172 && b >= 16 && b <= 31)     // RFC 1918
                || (a == 192 && b == 168)               // RFC 1918
                || (a == 192 && b == 0 && c == 0)       // IETF protocol assignments
                || (a == 198 && (b == 18 || b == 19))   // benchmarking
                || a >= 224;                            // multicast, 240.0.0.0/4 reserved, broadcast
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
