package io.vigil.notifier.rest;

import io.vigil.notifier.UnknownChannelException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;

/** Answers domain errors as RFC 9457 problem JSON. */
@Provider
public class ProblemMapper implements ExceptionMapper<UnknownChannelException> {

    @Override
    public Response toResponse(UnknownChannelException exception) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Not Found");
        problem.put("status", 404);
        problem.put("detail", exception.getMessage());
        return Response.status(404).type("application/problem+json").entity(problem).build();
    }
}
