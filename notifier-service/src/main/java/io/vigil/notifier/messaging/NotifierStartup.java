package io.vigil.notifier.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vigil.contracts.TopicLayout;
import io.vigil.contracts.Topics;
import io.vigil.notifier.config.NotifierConfig;
import io.vigil.notifier.scheduling.Dispatcher;
import io.vigil.outbox.OutboxRelay;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Brings the notifier up in order: before the messaging channels start, the topics and the channel topic's end
 * offsets (what the channel view must reach to be caught up), through an Admin client with the shared {@code kafka.*}
 * settings (security included); then the outbox relay and the dispatcher; and down in reverse, so the last attempts'
 * outcomes are relayed before the relay stops. A broker that rejects the credentials fails the start, with one line
 * that says so.
 */
@ApplicationScoped
public class NotifierStartup {

    private final Map<String, Object> kafka;
    private final NotifierConfig config;
    private final ChannelView channelView;
    private final Dispatcher dispatcher;
    private final OutboxRelay relay;

    public NotifierStartup(@Identifier("default-kafka-broker") Map<String, Object> kafka, NotifierConfig config,
                           ChannelView channelView, Dispatcher dispatcher, OutboxRelay relay) {
        this.kafka = kafka;
        this.config = config;
        this.channelView = channelView;
        this.dispatcher = dispatcher;
        this.relay = relay;
    }

    /** Runs before the messaging channels start (they start at priority LIBRARY_BEFORE), so they find the topics. */
    void prepareKafka(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        Map<String, Object> adminConfig = new HashMap<>(kafka);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-notifier-admin");
        try (Admin admin = Admin.create(adminConfig)) {
            TopicLayout.ensure(admin, config.kafkaPartitions(), config.kafkaReplication());
            channelView.startingFrom(channelEndOffsets(admin));
        } catch (RuntimeException e) {
            AuthenticationException rejected = causeOf(e, AuthenticationException.class);
            if (rejected != null) {
                Log.errorf("the Kafka broker rejected the notifier's credentials (%s); check VIGIL_KAFKA_SECURITY_PROTOCOL,"
                        + " VIGIL_KAFKA_SASL_* and VIGIL_KAFKA_SSL_*", rejected.getMessage());
                throw new IllegalStateException("the Kafka broker rejected the notifier's credentials", rejected);
            }
            throw e;
        }
    }

    void onStart(@Observes StartupEvent event) {
        relay.start();
        dispatcher.start();
        Log.infof("notifier started (private targets %s)", config.allowPrivateTargets() ? "allowed" : "refused");
    }

    void onStop(@Observes ShutdownEvent event) {
        dispatcher.stop();
        relay.stop();
    }

    /** The end offsets of the channel topic's partitions that hold records. */
    private static Map<Integer, Long> channelEndOffsets(Admin admin) {
        try {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.CHANNELS)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(Topics.CHANNELS).partitions().stream()
                    .map(info -> new TopicPartition(Topics.CHANNELS, info.partition())).toList();
            Map<TopicPartition, ListOffsetsResultInfo> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, ListOffsetsResultInfo> latest = offsets(admin, partitions, OffsetSpec.latest());
            Map<Integer, Long> ends = new HashMap<>();
            for (TopicPartition partition : partitions) {
                long end = latest.get(partition).offset();
                if (end > earliest.get(partition).offset()) {
                    ends.put(partition.partition(), end);
                }
            }
            return ends;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the end offsets of " + Topics.CHANNELS + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end offsets of " + Topics.CHANNELS, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer the end offsets of " + Topics.CHANNELS + " within 30 s", e);
        }
    }

    private static Map<TopicPartition, ListOffsetsResultInfo> offsets(Admin admin, List<TopicPartition> partitions,
                                                                      OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        return admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
    }

    private static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
