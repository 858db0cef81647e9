package io.vigil.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which peers may tell us the client's address and scheme ({@code X-Forwarded-For},
 * {@code X-Forwarded-Proto}): a list of CIDR blocks. Answers are cached per peer address, since a
 * service sees few distinct proxies.
 */
public final class TrustedProxies {

    private static final int CACHE_LIMIT = 4096;

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest);
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;
    private final Map<String, Boolean> cache = new ConcurrentHashMap<>();

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Parses {@code a.b.c.d/n}, {@code x::y/n} or a single address; a malformed entry is an {@link IllegalArgumentException}. */
    public static TrustedProxies of(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : cidrs) {
            String cidr = raw.trim();
            if (cidr.isEmpty()) {
                continue;
            }
            int slash = cidr.indexOf('/');
            byte[] network = literal(slash < 0 ? cidr : cidr.substring(0, slash));
            if (network == null) {
                throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr);
            }
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad prefix length in " + cidr);
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + cidr);
                }
            }
            blocks.add(new Block(network, prefix));
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    /** Whether the peer at this address (an IP literal) is a trusted proxy. */
    public boolean trusts(String peerAddress) {
        if (peerAddress == null || blocks.isEmpty()) {
            return false;
        }
        Boolean cached = cache.get(peerAddress);
        if (cached != null) {
            return cached;
        }
        byte[] address = literal(peerAddress);
        boolean trusted = false;
        if (address != null) {
            for (Block block : blocks) {
                if (block.contains(address)) {
                    trusted = true;
                    break;
                }
            }
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(peerAddress, trusted);
        return trusted;
    }

    /** The bytes of an IP literal (an IPv4-mapped IPv6 address becomes IPv4), or null if it is not one; never a DNS lookup. */
    private static byte[] literal(String text) {
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (s.isEmpty() || !(s.indexOf(':') >= 0 || isIpv4(s))) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                return null;
            }
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isIpv4(String s) {
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots == 3;
    }
}
