package io.vigil.evaluator.hc;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Writes {@link HcException}s: the Healthchecks API's errors are Healthchecks', not the admin API's problem+json. */
public class HcExceptionMapper {

    @ServerExceptionMapper
    public Response map(HcException e) {
        Response.ResponseBuilder answer = Response.status(e.status);
        if (e.error != null) {
            answer.type(MediaType.APPLICATION_JSON).entity(Map.of("error", e.error));
        } else if (e.text != null) {
            answer.type(MediaType.TEXT_PLAIN).entity(e.text);
        }
        return answer.build();
    }
}
