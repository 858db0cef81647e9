package io.vigil.notifier.rest;

import io.vigil.notifier.UnknownChannelException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers domain errors and bad requests as RFC 9457 problem JSON. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response unknownChannel(UnknownChannelException exception) {
        return problem(404, "Not Found", exception.getMessage());
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequestException exception) {
        return problem(400, "Bad Request", exception.getMessage());
    }

    private static Response problem(int status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return Response.status(status).type("application/problem+json").entity(problem).build();
    }
}
