package io.vigil.evaluator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.vigil.evaluator.DeadLetter;
import io.vigil.evaluator.service.DeadLetters;
import io.vigil.evaluator.service.Pages;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/dead-letters}: the records of Vigil's topics that could not be parsed and were set aside (the
 * only records ever skipped). Their content is not shown: it may hold a job's output; its size is.
 */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
@SecurityRequirement(name = MonitorResource.BEARER)
@SecurityRequirement(name = MonitorResource.API_KEY)
public class DeadLetterResource {

    /** One set-aside record. */
    @JsonPropertyOrder({"id", "topic", "partition", "offset", "key", "size", "error", "recordedAt"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DeadLetterJson(long id, String topic, int partition, long offset, String key, int size, String error,
                                 String recordedAt) {

        static DeadLetterJson of(DeadLetter letter) {
            return new DeadLetterJson(letter.id, letter.topic, letter.partition, letter.offset, letter.key,
                    letter.value == null ? 0 : letter.value.length, letter.error, Times.format(letter.recordedAt));
        }
    }

    private final DeadLetters deadLetters;

    public DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    @Operation(summary = "Records set aside", description = "Records of Vigil's topics that could not be parsed, newest "
            + "first. Every other failure is retried, never skipped; vigil_dead_letters_total counts these.")
    @APIResponse(responseCode = "200", description = "A page of dead letters", content = @Content(examples = @ExampleObject(
            name = "page", value = "{\"items\":[{\"id\":3,\"topic\":\"vigil.pings.v1\",\"partition\":5,\"offset\":1042,"
                    + "\"key\":\"not-a-monitor\",\"size\":9,\"error\":\"not JSON\",\"recordedAt\":\"2026-11-23T10:15:30.123Z\"}],"
                    + "\"nextCursor\":null}")))
    public Page<DeadLetterJson> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return Page.of(deadLetters.page(Pages.cursor(cursor), Pages.limit(limit)).map(DeadLetterJson::of));
    }
}
