package io.vigil.evaluator.web;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** A monitor's public ping URL, as the console's "send a test ping" calls it (the way a job would). */
@Path("/ping")
public interface PingApi {

    @POST
    @Path("/{token}")
    Response ping(@PathParam("token") String token, @HeaderParam("User-Agent") String userAgent, String body);
}
