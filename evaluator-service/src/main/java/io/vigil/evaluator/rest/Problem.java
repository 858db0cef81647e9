package io.vigil.evaluator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vigil.evaluator.service.FieldError;
import java.util.List;

/**
 * An RFC 9457 problem, the body of every 4xx and 5xx answer of the admin API
 * ({@code application/problem+json}); {@code errors} names each bad field of a refused request.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    /** The media type of every error answer. */
    public static final String MEDIA_TYPE = "application/problem+json";
}
