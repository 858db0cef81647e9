package io.vigil.evaluator.service;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** The notifier's internal HTTP API, as the evaluator calls it (a REST client built by {@link ChannelTests}). */
@Path("/internal/v1")
public interface NotifierApi {

    /** The header that carries the shared {@code VIGIL_INTERNAL_TOKEN}. */
    String TOKEN_HEADER = "X-Vigil-Internal-Token";

    /**
     * Sends a test notification to a channel now: 200 with the outcome, 404 when the notifier has not
     * received the channel yet, 401 when the token is not the notifier's.
     */
    @POST
    @Path("/channels/{id}/test")
    @Produces(MediaType.APPLICATION_JSON)
    Response test(@HeaderParam(TOKEN_HEADER) String token, @PathParam("id") UUID channelId);
}
