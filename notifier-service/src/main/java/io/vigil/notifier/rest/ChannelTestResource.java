package io.vigil.notifier.rest;

import io.vigil.notifier.Channel;
import io.vigil.notifier.SendResult;
import io.vigil.notifier.UnknownChannelException;
import io.vigil.notifier.scheduling.Dispatcher;
import io.vigil.notifier.service.ChannelStore;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The internal API the admin API calls for {@code POST /api/v1/channels/{id}/test}. */
@Path("/internal/v1/channels")
@Tag(name = "internal", description = "Called by the evaluator's admin API, not by users")
public class ChannelTestResource {

    /** The answer: {@code SENT} or {@code FAILED}, the target's HTTP status, the error and how long it took. */
    public record TestAnswer(String status, Integer httpStatus, String error, long durationMs) {
    }

    private final ChannelStore channels;
    private final Dispatcher dispatcher;

    public ChannelTestResource(ChannelStore channels, Dispatcher dispatcher) {
        this.channels = channels;
        this.dispatcher = dispatcher;
    }

    @POST
    @Path("/{id}/test")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a real test message to a channel now and answer the outcome")
    @APIResponse(responseCode = "200", description = "The attempt was made: status SENT or FAILED")
    @APIResponse(responseCode = "404", description = "The notifier does not know the channel")
    public TestAnswer test(@PathParam("id") UUID id) {
        Channel channel = channels.find(id);
        if (channel == null || channel.deleted()) {
            throw new UnknownChannelException(id);
        }
        Dispatcher.TestOutcome outcome = dispatcher.sendTest(channel);
        SendResult result = outcome.result();
        return new TestAnswer(result.outcome() == SendResult.Outcome.DELIVERED ? "SENT" : "FAILED", result.httpStatus(),
                result.error(), outcome.durationMs());
    }
}
