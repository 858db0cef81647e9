package io.vigil.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for the servers tests start, so tests never collide with each other or with a running ./run.sh. A port
 * is taken below the kernel's ephemeral range (Linux: {@code /proc/sys/net/ipv4/ip_local_port_range}, 32768 and up by
 * default) and above the well-known service ports: the kernel gives ephemeral ports to every outgoing connection
 * (Kafka and JDBC clients open many), so a port from that range, free when checked, may be some connection's local
 * port by the time the service that was meant to listen on it has started, and it then fails to bind. No port is
 * handed out twice by one JVM.
 */
public final class FreePorts {

    private static final int LOWEST = 15_000;
    private static final Set<Integer> TAKEN = new HashSet<>();

    private FreePorts() {
    }

    public static synchronized int take() {
        int below = ephemeralStart();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tries = 0; tries < 1000; tries++) {
            int port = random.nextInt(LOWEST, below);
            if (!TAKEN.contains(port) && free(port)) {
                TAKEN.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + below);
    }

    /** Whether nothing listens on the port, on any address. */
    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
