package io.vigil.evaluator.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;
import io.vigil.contracts.Json;
import io.vigil.evaluator.config.AdminApiConfig;
import io.vigil.evaluator.web.ConsolePaths;
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

    /** Set while this route reads the body, so that its failure handler knows a failure is the body's. */
    private static final String READING = "vigil.body-reading";

    private final AdminApiConfig config;

    public BodyLimit(AdminApiConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        long limit = config.maxBodyBytes();
        Buffer tooLarge = Buffer.buffer(Json.write(ProblemMapper.problem("too-large", 413, "Content too large",
                "The request body is larger than " + limit + " bytes.", List.of())));
        BodyHandler reader = BodyHandler.create(false).setBodyLimit(limit);
        Buffer unreadable = Buffer.buffer(Json.write(ProblemMapper.problem("unreadable-body", 400, "Unreadable body",
                "The request body could not be read.", List.of())));
        Buffer form = Buffer.buffer(Json.write(ProblemMapper.problem("unsupported-media-type", 415, "Unsupported media type",
                "The admin API takes JSON bodies, not forms (multipart or application/x-www-form-urlencoded).", List.of())));
        router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER).handler(context -> {
            long length = declaredLength(context);
            if (context.normalizedPath().startsWith("/hc/api/") && form(context, length)) {
                // Healthchecks reads every API body as JSON whatever its type, and its documented examples use
                // curl --data (a form type): so does its API here, and the body is never decoded as a form
                context.request().headers().set("Content-Type", "application/json");
            }
            if (length > limit) {
                refuse(context, 413, tooLarge);
            } else if (form(context, length) && !consoleForm(context)) {
                // no API endpoint takes a form, and the body reader would decode one: with a 500 for a read method,
                // for a long field, ...
                if (isConsole(context)) {
                    // a page's post that is not url-encoded (multipart): a person reads the answer
                    context.response().setStatusCode(415).putHeader("Content-Type", "text/plain; charset=UTF-8")
                            .putHeader("Connection", "close").end("The console takes forms only.");
                } else {
                    refuse(context, 415, form);
                }
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
                // a broken chunk, a connection cut mid-body
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

    /** The web console's pages and sign-in take url-encoded forms (never multipart), within the same limit. */
    private static boolean consoleForm(RoutingContext context) {
        String type = context.request().getHeader("Content-Type");
        return isConsole(context) && type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static boolean isConsole(RoutingContext context) {
        String path = context.normalizedPath();
        return path.equals("/login") || ConsolePaths.isConsole(path);
    }

    private static long declaredLength(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A form content type on a request that has a body, or on any request of a method that has none (an empty
     * form body, as {@code curl -d ''} sends, still passes for POST, PUT, PATCH and DELETE).
     */
    private static boolean form(RoutingContext context, long length) {
        String type = context.request().getHeader("Content-Type");
        if (type == null) {
            return false;
        }
        String lower = type.toLowerCase(java.util.Locale.ROOT);
        if (!lower.contains("multipart/") && !lower.contains("application/x-www-form-urlencoded")) {
            return false;
        }
        return switch (context.request().method().name()) {
            case "POST", "PUT", "PATCH", "DELETE" -> length != 0;
            default -> true;
        };
    }

    private static void refuse(RoutingContext context, int status, Buffer problem) {
        // The rest of a refused body is not worth reading: the client should not reuse this connection.
        context.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(problem);
    }
}
