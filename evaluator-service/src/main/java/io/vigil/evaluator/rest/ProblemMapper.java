package io.vigil.evaluator.rest;

import com.fasterxml.jackson.core.JacksonException;
import io.quarkus.logging.Log;
import io.vigil.evaluator.service.ConflictException;
import io.vigil.evaluator.service.FieldError;
import io.vigil.evaluator.service.InvalidRequestException;
import io.vigil.evaluator.service.MonitorLifecycle;
import io.vigil.evaluator.service.NotFoundException;
import io.vigil.evaluator.service.NotifierUnavailableException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place error answers are made: every exception becomes an RFC 9457
 * {@code application/problem+json} answer. Details are written for people and never carry a class
 * name, a stack trace or a secret, whatever the input.
 */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return answer("validation", 400, "Invalid request", e.getMessage(), e.errors());
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return answer("conflict", 409, "Conflict", e.getMessage(), e.errors());
    }

    @ServerExceptionMapper
    public Response notPaused(MonitorLifecycle.MonitorNotPausedException e) {
        return answer("not-paused", 409, "Conflict", "The monitor is not paused.", List.of());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return answer("not-found", 404, "Not found", e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response denied(AccessDeniedException e) {
        Response.ResponseBuilder builder = builder(e.status() == 401 ? "unauthorized" : "forbidden", e.status(),
                e.status() == 401 ? "Unauthorized" : "Forbidden", e.getMessage(), List.of());
        if (e.status() == 401) {
            builder.header("WWW-Authenticate", "Bearer realm=\"vigil\"");
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response notifier(NotifierUnavailableException e) {
        return builder("notifier-unavailable", e.status(), e.status() == 502 ? "Bad gateway" : "Service unavailable",
                e.getMessage(), List.of()).header("Retry-After", e.status() == 503 ? "2" : null).build();
    }

    @ServerExceptionMapper
    public Response malformed(JacksonException e) {
        return answer("malformed", 400, "Invalid request", "The request body is not valid JSON.", List.of());
    }

    @ServerExceptionMapper
    public Response persistence(PersistenceException e) {
        if (e instanceof OptimisticLockException || hasCause(e, ConstraintViolationException.class)) {
            return answer("conflict", 409, "Conflict",
                    "The change conflicts with a concurrent change or an existing resource; read it again and retry.", List.of());
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = switch (status) {
            case 400 -> "The request is not valid.";
            case 404 -> "There is nothing at this address.";
            case 405 -> "This method is not allowed here.";
            case 406 -> "The requested media type is not available; ask for application/json.";
            case 413 -> "The request body is too large.";
            case 415 -> "Send the body as application/json.";
            default -> title + ".";
        };
        String type = switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 413 -> "too-large";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
        Response.ResponseBuilder builder = builder(type, status, title, detail, List.of());
        if (status == 405 && e.getResponse().getHeaderString("Allow") != null) {
            builder.header("Allow", e.getResponse().getHeaderString("Allow"));
        }
        return builder.build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        Log.errorf(e, "Unexpected error in the admin API");
        return answer("internal", 500, "Internal server error", "An unexpected error occurred; it has been logged.", List.of());
    }

    /** The problem answer for a status, also used by the body limit outside JAX-RS. */
    static Problem problem(String type, int status, String title, String detail, List<FieldError> errors) {
        return new Problem("urn:vigil:problem:" + type, title, status, detail, errors);
    }

    private static Response answer(String type, int status, String title, String detail, List<FieldError> errors) {
        return builder(type, status, title, detail, errors).build();
    }

    private static Response.ResponseBuilder builder(String type, int status, String title, String detail,
                                                    List<FieldError> errors) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem(type, status, title, detail, errors));
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
