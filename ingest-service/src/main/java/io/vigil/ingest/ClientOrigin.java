package io.vigil.ingest;

/**
 * Where a ping came from as API.md section 1 defines it: the first {@code X-Forwarded-For} entry
 * (an IPv4 port stripped, IPv6 kept as sent) and {@code X-Forwarded-Proto} when the peer is a trusted
 * proxy, else the peer's own address and the connection's scheme.
 */
public record ClientOrigin(String remoteAddr, String scheme) {

    public static ClientOrigin of(String peerAddress, String connectionScheme, String forwardedFor,
            String forwardedProto, TrustedProxies proxies) {
        if (!proxies.trusts(peerAddress)) {
            return new ClientOrigin(peerAddress, connectionScheme);
        }
        String remote = firstEntry(forwardedFor);
        String scheme = firstEntry(forwardedProto);
        return new ClientOrigin(remote == null ? peerAddress : stripIpv4Port(remote),
                scheme == null ? connectionScheme : scheme);
    }

    private static String firstEntry(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.indexOf(',');
        String first = (comma < 0 ? header : header.substring(0, comma)).trim();
        return first.isEmpty() ? null : first;
    }

    /** {@code 203.0.113.7:51234} becomes {@code 203.0.113.7}; anything with more than one colon (IPv6) is kept. */
    static String stripIpv4Port(String address) {
        int colon = address.indexOf(':');
        if (colon > 0 && address.indexOf(':', colon + 1) < 0 && address.indexOf('.') > 0 && address.indexOf('.') < colon) {
            return address.substring(0, colon);
        }
        return address;
    }
}
