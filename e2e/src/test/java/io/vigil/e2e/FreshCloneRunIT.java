package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.testkit.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's first command as a new user runs it: a clone of the repository (its committed HEAD, as CI
 * checks it out), a local Maven repository that holds no {@code io.vigil} artifact, {@code ./run.sh}. It
 * must build everything it runs from the reactor, start the devstack and the three services, serve a
 * monitor that is created through the admin API and pinged until it is UP, and, on SIGINT to its process
 * group (Ctrl-C in a terminal), stop everything it started: no process of the group, no process running
 * from the clone, no port listening.
 *
 * <p>The local repository is a copy of the building Maven's own ({@code vigil.m2.repository}) without
 * {@code io/vigil}, so nothing is downloaded again: artifacts are hard links (never written in place by
 * Maven), while the small files Maven's resolver rewrites in place ({@code _remote.repositories},
 * {@code resolver-status.properties}, metadata) are real copies, so that the shared repository is never
 * touched. run.sh gets it as {@code -Dmaven.repo.local} through {@code VIGIL_MAVEN_ARGS}, with {@code -o}:
 * everything run.sh's build needs is already there, since this build got that far.
 */
class FreshCloneRunIT {

    @Test
    void runShBuildsFromAFreshCloneServesAMonitorAndStopsEverythingOnSigint() throws Exception {
        assertThat(sigintIgnored())
                .as("this JVM inherited SIGINT ignored (its build was started in the background of a non-interactive"
                        + " shell, e.g. 'cmd &' in a script): run.sh, its child, cannot trap Ctrl-C then; start the build"
                        + " in the foreground or with job control (set -m)")
                .isFalse();
        Path root = Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("vigil-fresh-clone-");
        Path clone = work.resolve("vigil");
        Path repository = work.resolve("m2");
        Path log = Path.of(System.getProperty("vigil.logs", "target/service-logs")).resolve("fresh-clone-run.log");
        Files.createDirectories(log.getParent());
        Process run = null;
        try {
            exec(work, "git", "clone", "--quiet", root.toString(), clone.toString());
            copyWithoutVigil(Path.of(System.getProperty("vigil.m2.repository",
                    System.getProperty("user.home") + "/.m2/repository")), repository);
            assertThat(repository.resolve("io/vigil")).doesNotExist();

            int ingestPort = FreePorts.take();
            int evaluatorPort = FreePorts.take();
            int notifierPort = FreePorts.take();
            int kafkaPort = FreePorts.take();
            int dbPort = FreePorts.take();
            int smtpPort = FreePorts.take();
            ProcessBuilder builder = new ProcessBuilder("setsid", "./run.sh").directory(clone.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            for (String pointsElsewhere : List.of("VIGIL_KAFKA_BOOTSTRAP", "VIGIL_DB_URL", "VIGIL_SMTP_HOST", "VIGIL_ADMIN_KEY",
                    "VIGIL_INTERNAL_TOKEN", "VIGIL_SECRETS_KEY", "VIGIL_SECRETS_PREVIOUS_KEYS",
                    "VIGIL_HOME", "MAVEN_OPTS")) {
                env.remove(pointsElsewhere);
            }
            env.put("VIGIL_MAVEN_ARGS", "-o -Dmaven.repo.local=" + repository);
            env.put("VIGIL_INGEST_PORT", String.valueOf(ingestPort));
            env.put("VIGIL_EVALUATOR_PORT", String.valueOf(evaluatorPort));
            env.put("VIGIL_NOTIFIER_PORT", String.valueOf(notifierPort));
            env.put("VIGIL_DEVSTACK_KAFKA_PORT", String.valueOf(kafkaPort));
            env.put("VIGIL_DEVSTACK_DB_PORT", String.valueOf(dbPort));
            env.put("VIGIL_DEVSTACK_SMTP_PORT", String.valueOf(smtpPort));
            long started = System.nanoTime();
            run = builder.start();
            Process running = run;
            // setsid made run.sh the leader of its own process group: the group's id is its pid.
            long group = run.pid();

            await("run.sh says Vigil is running").atMost(Duration.ofMinutes(12)).pollInterval(Duration.ofSeconds(1))
                    .failFast("run.sh exited; see " + log, () -> !running.isAlive())
                    .until(() -> Files.readString(log).contains("Vigil is running."));
            System.out.printf("FreshCloneRunIT: run.sh built and started Vigil in %.1f s%n", (System.nanoTime() - started) / 1e9);
            assertThat(clone.resolve("outbox/target")).as("outbox built from the reactor").isDirectory();
            assertThat(repository.resolve("io/vigil")).as("nothing installed").doesNotExist();

            String key = Files.readString(clone.resolve(".vigil/admin-key")).trim();
            AdminApi admin = new AdminApi("http://127.0.0.1:" + evaluatorPort, key);
            JsonNode monitor = admin.post("/monitors", Map.of("name", "fresh-clone-" + UUID.randomUUID(),
                    "schedule", Map.of("type", "interval", "every", "PT1H")));
            String pingUrl = monitor.get("pingUrl").asText();
            assertThat(pingUrl).startsWith("http://localhost:" + ingestPort + "/ping/");
            String localPing = pingUrl.replace("http://localhost:", "http://127.0.0.1:");
            await("ping answered 200").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> ServiceProcess.get(localPing, Duration.ofSeconds(5)) == 200);
            await("monitor UP").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> admin.get("/monitors/" + monitor.get("id").asText()).get("status").asText().equals("UP"));

            // run.sh generated the internal API's token and gave it to the notifier: without it, 401; with it, the call
            // goes through (404: no such channel)
            String token = Files.readString(clone.resolve(".vigil/internal-token")).trim();
            assertThat(token.length()).isGreaterThanOrEqualTo(24);
            String channelTest = "http://127.0.0.1:" + notifierPort + "/internal/v1/channels/" + UUID.randomUUID() + "/test";
            assertThat(post(channelTest, Map.of())).isEqualTo(401);
            assertThat(post(channelTest, Map.of("X-Vigil-Internal-Token", token))).isEqualTo(404);

            exec(work, "kill", "-INT", "--", "-" + group);
            assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("run.sh stopped within 90 s of SIGINT").isTrue();
            assertThat(run.exitValue()).as("run.sh's exit status after SIGINT").isEqualTo(130);
            assertThat(Files.readString(log)).contains("Stopped.");

            await("nothing of run.sh left running").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(leftOver(group, clone)).as("processes left over").isEmpty());
            for (int port : List.of(ingestPort, evaluatorPort, notifierPort, kafkaPort, dbPort, smtpPort)) {
                assertThat(listening(port)).as("port %d still listening", port).isFalse();
            }
        } finally {
            if (run != null && run.isAlive()) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + run.pid()).start().waitFor(10, TimeUnit.SECONDS);
            }
            deleteRecursively(work);
        }
    }

    /** Processes of {@code group}, or running from the clone (PostgreSQL leaves the group: pg_ctl starts it in its own session). */
    /** Whether SIGINT (signal 2) is in this process's ignored set, which its children inherit. */
    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (2 - 1))) != 0;
            }
        }
        return false;
    }

    private static List<String> leftOver(long group, Path clone) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path proc : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    // pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its closing parenthesis.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (Long.parseLong(fields[2]) == group || cmdline.contains(clone.toString())) {
                        out.add(proc.getFileName() + ": " + cmdline);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended while being looked at
                }
            }
        }
        return out;
    }

    /** POSTs an empty body with the given headers and answers the status. */
    private static int post(String url, Map<String, String> headers) throws IOException, InterruptedException {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .timeout(Duration.ofSeconds(10)).POST(java.net.http.HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return java.net.http.HttpClient.newHttpClient()
                .send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void exec(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    }

    /**
     * A copy of a local Maven repository without {@code io/vigil}: artifacts hard-linked, the resolver's
     * small bookkeeping files (rewritten in place, which would write through a link) copied.
     */
    private static void copyWithoutVigil(Path from, Path to) throws IOException {
        Path skipped = from.resolve("io/vigil");
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(skipped)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                String name = file.getFileName().toString();
                boolean artifact = name.endsWith(".jar") || name.endsWith(".pom") || name.endsWith(".sha1")
                        || name.endsWith(".zip") || name.endsWith(".txz") || name.endsWith(".tar.gz");
                if (artifact && !name.startsWith("maven-metadata")) {
                    Files.createLink(target, file);
                } else {
                    Files.copy(file, target);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
