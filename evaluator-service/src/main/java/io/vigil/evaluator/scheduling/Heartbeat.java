package io.vigil.evaluator.scheduling;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.vigil.evaluator.Durations;
import io.vigil.evaluator.config.EngineConfig;
import io.vigil.evaluator.messaging.KafkaTopology;
import io.vigil.evaluator.service.PipelineWatch;
import io.vigil.evaluator.service.Sweep;
import io.vigil.outbox.OutboxDrain;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * Vigil's own heartbeat (API.md section 4): with {@code VIGIL_HEARTBEAT_URL} set, a GET to it every
 * {@code VIGIL_HEARTBEAT_FREQUENCY}, but only while the evaluator is healthy: every partition's watermark
 * moving, the database answering, the outbox draining and the sweep running. Silence is the alarm.
 */
@ApplicationScoped
public class Heartbeat {

    private final EngineConfig config;
    private final Sweep sweep;
    private final SweepLoop sweepLoop;
    private final PipelineWatch pipeline;
    private final OutboxDrain outbox;
    private final KafkaTopology topology;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private Trigger job;
    private HttpClient http;
    private Instant startedAt;

    public Heartbeat(EngineConfig config, Sweep sweep, SweepLoop sweepLoop, PipelineWatch pipeline, OutboxDrain outbox,
                     KafkaTopology topology, InstantSource clock, Scheduler scheduler) {
        this.scheduler = scheduler;
        this.config = config;
        this.sweep = sweep;
        this.sweepLoop = sweepLoop;
        this.pipeline = pipeline;
        this.outbox = outbox;
        this.topology = topology;
        this.clock = clock;
    }

    /**
     * Starts pinging when a heartbeat URL is configured: a Quarkus Scheduler job at the configured frequency
     * (scheduled here rather than with {@code @Scheduled}, since the frequency is read in any form
     * {@code Durations} takes, such as {@code every 1 minute}).
     */
    public synchronized void start() {
        if (config.heartbeatUrl().isEmpty() || job != null) {
            return;
        }
        Duration every = Durations.parse(config.heartbeatFrequency());
        startedAt = clock.instant();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        job = scheduler.newJob("vigil-heartbeat")
                .setInterval(every.toString())
                .setDelayed(every.toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> beat())
                .schedule();
        Log.infof("own heartbeat every %s while healthy", Durations.format(every));
    }

    public synchronized void stop() {
        if (job != null) {
            scheduler.unscheduleJob(job.getId());
            job = null;
        }
    }

    /** Why the evaluator is not healthy, or null when it is. */
    public String unhealthy() {
        Instant now = clock.instant();
        List<Integer> stalled = pipeline.stalled(sweep.partitions(), topology.pingPartitions(), startedAt, now);
        if (!stalled.isEmpty()) {
            return "watermark stalled on partition(s) " + stalled;
        }
        Instant oldest = outbox.oldestWaiting();
        if (oldest != null && Duration.between(oldest, now).compareTo(config.stallThreshold()) > 0) {
            return "outbox not draining since " + oldest;
        }
        Instant lastPass = sweepLoop.lastPass();
        if (lastPass == null || Duration.between(lastPass, now).compareTo(config.safetyPoll().multipliedBy(3)) > 0) {
            return "deadline sweep not running";
        }
        return null;
    }

    private void beat() {
        try {
            String problem = unhealthy();
            if (problem != null) {
                Log.warnf("own heartbeat withheld: %s", problem);
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(config.heartbeatUrl().orElseThrow()))
                    .timeout(Duration.ofSeconds(10)).GET().build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 300) {
                Log.warnf("own heartbeat answered %d", response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Log.warnf("own heartbeat failed: %s", e.getMessage());
        }
    }
}
