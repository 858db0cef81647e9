package io.vigil.notifier.rest;

import io.vigil.notifier.DeadLetter;
import io.vigil.notifier.service.DeadLetterStore;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The records the notifier set aside because they could not be parsed, newest first (internal API). */
@Path("/internal/v1/dead-letters")
@Tag(name = "internal", description = "Called by the evaluator's admin API, not by users")
public class DeadLetterResource {

    /** One dead letter: where it was read, its key, its size and why; never its payload (it may hold secrets). */
    public record DeadLetterView(long id, String topic, int partition, long offset, String key, int size, String reason,
                                 Instant receivedAt) {

        static DeadLetterView of(DeadLetter letter) {
            return new DeadLetterView(letter.id, letter.topic, letter.partition, letter.offset, letter.key,
                    letter.payload == null ? 0 : letter.payload.length, letter.reason, letter.receivedAt);
        }
    }

    private final DeadLetterStore store;

    public DeadLetterResource(DeadLetterStore store) {
        this.store = store;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the records set aside because they could not be parsed, newest first")
    @APIResponse(responseCode = "200", description = "At most limit dead letters")
    @APIResponse(responseCode = "400", description = "limit is not between 1 and 1000")
    public List<DeadLetterView> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new BadRequestException("limit must be between 1 and 1000");
        }
        return store.newest(limit).stream().map(DeadLetterView::of).toList();
    }
}
