package io.vigil.evaluator.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The monitors list (the dashboard). */
@Path("/monitors")
@Produces(MediaType.TEXT_HTML)
public class MonitorsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list();
    }

    @GET
    public TemplateInstance list() {
        return Templates.list();
    }
}
