package io.vigil.evaluator.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;
import io.vigil.contracts.Json;
import io.vigil.evaluator.config.AdminApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one request body limit ({@code vigil.evaluator.api.max-body-bytes}): a larger body is a 413
 * problem, whether its Content-Length announces it (refused before it is read) or it comes in chunks
 * (refused as soon as the limit is passed; the rest is discarded unread). Bodies within the limit are
 * read here, so nothing after this route ever holds more than the limit in memory.
 * {@code quarkus.http.limits.max-body-size} stays above this limit and is never the one that answers.
 * A body that cannot be read (a broken chunk, a malformed form) is a 400 problem, a multipart one a 415.
 */
@ApplicationScoped
public class BodyLimit {

    /** Set while this route reads the body, so that its failure handler knows a failure is the body's. */
    private static final String READING = "vigil.body-reading";
    private static final Set<HttpMethod> HAS_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final AdminApiConfig config;

    public BodyLimit(AdminApiConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        long limit = config.maxBodyBytes();
        Buffer tooLarge = problem("too-large", 413, "Content too large", "The request body is larger than " + limit + " bytes.");
        Buffer multipart = problem("unsupported-media-type", 415, "Unsupported media type",
                "Multipart bodies are not taken here; send application/json.");
        Buffer unreadable = problem("unreadable-body", 400, "Unreadable body", "The request body could not be read.");
        BodyHandler reader = BodyHandler.create(false).setBodyLimit(limit);
        router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER).handler(context -> {
            String type = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (declaredLength(context) > limit) {
                refuse(context, 413, tooLarge);
            } else if (isForm(type, "multipart/form-data")) {
                // no endpoint takes one, and the form decoder fails on a malformed boundary
                refuse(context, 415, multipart);
            } else if (isForm(type, "application/x-www-form-urlencoded") && !HAS_BODY.contains(context.request().method())) {
                // the form decoder refuses a GET, HEAD or OPTIONS; such a request has no form to read
                context.next();
            } else {
                context.put(READING, Boolean.TRUE);
                reader.handle(context);
            }
        }).failureHandler(context -> {
            if (context.response().headWritten() || context.get(READING) == null) {
                context.next(); // a failure after the body was read is the resource's to answer
            } else if (context.statusCode() == 413) {
                refuse(context, 413, tooLarge);
            } else {
                // a broken chunk, a connection cut mid-body, a form the decoder rejects
                refuse(context, 400, unreadable);
            }
        });
        router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER + 1).handler(context -> {
            context.remove(READING);
            // An empty body leaves no buffer, and RESTEasy would then wait for a body that has already ended.
            if (context.body().available() && context.body().buffer() == null) {
                ((RoutingContextInternal) context).setBody(Buffer.buffer());
            }
            context.next();
        });
    }

    private static Buffer problem(String type, int status, String title, String detail) {
        return Buffer.buffer(Json.write(ProblemMapper.problem(type, status, title, detail, List.of())));
    }

    private static boolean isForm(String contentType, String form) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith(form);
    }

    private static long declaredLength(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void refuse(RoutingContext context, int status, Buffer problem) {
        // The rest of a refused body is not worth reading: the client should not reuse this connection.
        context.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(problem);
    }
}
