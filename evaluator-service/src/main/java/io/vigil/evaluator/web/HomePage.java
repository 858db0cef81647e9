package io.vigil.evaluator.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The console's front door: the monitors list. */
@Path("/")
public class HomePage {

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/monitors")).build();
    }
}
