package io.vigil.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged Vigil service ({@code target/quarkus-app/quarkus-run.jar}) running as its own process,
 * configured only through the environment, its output kept in {@code target/service-logs/<instance>.log}.
 */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The channel-sealing key of every service this test JVM starts (a test may give its own in {@code env}). */
    static final String SECRETS_KEY = newSecretsKey();

    private final String name;
    private final Process process;
    private final String baseUrl;
    private final Path log;

    private ServiceProcess(String name, Process process, String baseUrl, Path log) {
        this.name = name;
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    /** Starts {@code module}'s packaged jar with {@code env} on {@code port} and waits until it is ready. */
    static ServiceProcess start(String module, int port, Map<String, String> env) {
        return start(module, port, env, "384m");
    }

    /** {@link #start(String, int, Map)} with a maximum heap of {@code maxHeap} ({@code -Xmx}). */
    static ServiceProcess start(String module, int port, Map<String, String> env, String maxHeap) {
        ServiceProcess service = launch(module, module, port, env, maxHeap);
        service.awaitReady();
        return service;
    }

    /**
     * Starts {@code module}'s packaged jar as the instance {@code instance} (which names its log) without
     * waiting for it: several instances can then start at the same moment.
     */
    static ServiceProcess launch(String module, String instance, int port, Map<String, String> env) {
        return launch(module, instance, port, env, "384m");
    }

    private static ServiceProcess launch(String module, String instance, int port, Map<String, String> env, String maxHeap) {
        Path root = Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();
        Path jar = root.resolve(module).resolve(System.getProperty("vigil.services.target", "target"))
                .resolve("quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (mvn verify builds them before e2e)");
        }
        Path logs = Path.of(System.getProperty("vigil.logs", "target/service-logs"));
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(instance + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx" + maxHeap, "-jar", jar.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("VIGIL_SECRETS_KEY", SECRETS_KEY); // the same in every service of this JVM
            builder.environment().putAll(env);
            return new ServiceProcess(instance, builder.start(), "http://127.0.0.1:" + port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String newSecretsKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** Waits until the service answers ready; fails fast when the process exits first. */
    void awaitReady() {
        await(name + " ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .failFast(name + " exited early; see " + log, () -> !process.isAlive())
                .until(() -> status("/q/health/ready") == 200);
    }

    private int status(String path) {
        return get(baseUrl + path, Duration.ofSeconds(2));
    }

    /** A GET's status, or -1 when there was no answer within {@code timeout}. */
    static int get(String url, Duration timeout) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String name() {
        return name;
    }

    /** The service's output so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logFile() {
        return log;
    }

    /** Waits for the process to end by itself: its exit status, or empty when it still runs after {@code timeout}. */
    java.util.OptionalInt awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalInt.empty();
        }
    }

    /** The status of a GET of {@code path} on the service (-1: no answer within 2 s). */
    int statusOf(String path) {
        return status(path);
    }

    /** A crash: SIGKILL, no shutdown hook, no clean leave of the consumer group, a transaction cut wherever it was. */
    void kill() {
        try {
            if (!process.destroyForcibly().waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
