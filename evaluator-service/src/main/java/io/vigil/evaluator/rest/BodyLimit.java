package io.vigil.evaluator.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;
import io.vigil.contracts.Json;
import io.vigil.evaluator.config.AdminApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * The one request body limit ({@code vigil.evaluator.api.max-body-bytes}): a larger body is a 413
 * problem, whether its Content-Length announces it (refused before it is read) or it comes in chunks
 * (refused as soon as the limit is passed; the rest is discarded unread). Bodies within the limit are
 * read here, so nothing after this route ever holds more than the limit in memory.
 * {@code quarkus.http.limits.max-body-size} stays above this limit and is never the one that answers.
 */
@ApplicationScoped
public class BodyLimit {

    private final AdminApiConfig config;

    public BodyLimit(AdminApiConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        long limit = config.maxBodyBytes();
        Buffer tooLarge = Buffer.buffer(Json.write(ProblemMapper.problem("too-large", 413, "Content too large",
                "The request body is larger than " + limit + " bytes.", List.of())));
        BodyHandler reader = BodyHandler.create(false).setBodyLimit(limit);
        router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER).handler(context -> {
            long length = declaredLength(context);
            if (length > limit) {
                refuse(context, tooLarge);
            } else {
                reader.handle(context);
            }
        }).failureHandler(context -> {
            if (context.statusCode() == 413 && !context.response().headWritten()) {
                refuse(context, tooLarge);
            } else {
                context.next();
            }
        });
        router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER + 1).handler(context -> {
            // An empty body leaves no buffer, and RESTEasy would then wait for a body that has already ended.
            if (context.body().available() && context.body().buffer() == null) {
                ((RoutingContextInternal) context).setBody(Buffer.buffer());
            }
            context.next();
        });
    }

    private static long declaredLength(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void refuse(RoutingContext context, Buffer problem) {
        // The rest of a refused body is not worth reading: the client should not reuse this connection.
        context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(problem);
    }
}
