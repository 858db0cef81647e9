package io.vigil.evaluator.rest;

import io.vigil.contracts.Json;
import io.vigil.evaluator.config.AdminApiConfig;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Refuses request bodies larger than {@code vigil.evaluator.api.max-body-bytes} with a 413 problem
 * before they are read. (Bodies without a length are capped by quarkus.http.limits.max-body-size.)
 */
@ApplicationScoped
public class BodyLimit {

    private final AdminApiConfig config;

    public BodyLimit(AdminApiConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        byte[] tooLarge = Json.write(ProblemMapper.problem("too-large", 413, "Content too large",
                "The request body is larger than " + config.maxBodyBytes() + " bytes.", List.of()));
        router.route().order(Integer.MIN_VALUE + 1).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            long bytes;
            try {
                bytes = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = -1;
            }
            if (bytes > config.maxBodyBytes()) {
                context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(io.vertx.core.buffer.Buffer.buffer(tooLarge));
                return;
            }
            context.next();
        });
    }
}
