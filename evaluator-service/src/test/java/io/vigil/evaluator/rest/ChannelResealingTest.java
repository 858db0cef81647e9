package io.vigil.evaluator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.ChannelChanged;
import io.vigil.contracts.Json;
import io.vigil.contracts.SecretsKeyring;
import io.vigil.contracts.Topics;
import io.vigil.evaluator.service.ChannelResealing;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every evaluator start does for a key rotation: each channel's record goes out again, sealed with the current key. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class ChannelResealingTest {

    @Inject
    SecretsKeyring keys;
    @Inject
    ChannelResealing resealing;

    @Test
    void aStartWritesEveryChannelAgainSealedWithTheCurrentKeyAndTheSameVersion() throws Exception {
        String id = Admin.createSlackChannel();
        List<byte[]> first = TopicReader.await(Topics.CHANNELS, id, values -> !values.isEmpty());

        assertThat(resealing.resealAll()).isPositive(); // what every start does

        List<byte[]> records = TopicReader.await(Topics.CHANNELS, id, values -> values.size() > first.size());
        ChannelChanged before = Json.read(first.get(0), ChannelChanged.class);
        ChannelChanged again = Json.read(records.get(records.size() - 1), ChannelChanged.class);
        assertThat(again.sealedConfig()).startsWith("v1." + keys.currentKeyId() + ".").isNotEqualTo(before.sealedConfig());
        assertThat(again.version()).isEqualTo(before.version());
        assertThat(again.openedWith(keys).config()).isEqualTo(before.openedWith(keys).config());
    }
}
