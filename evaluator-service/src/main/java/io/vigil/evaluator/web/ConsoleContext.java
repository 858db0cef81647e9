package io.vigil.evaluator.web;

import io.vigil.evaluator.rest.Caller;
import io.vigil.evaluator.service.Users;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * What every console page shows of who is signed in: their name, whether they may change things, and the CSRF
 * token their forms carry. Templates read it as {@code inject:console}.
 */
@Named("console")
@RequestScoped
public class ConsoleContext {

    private final Caller caller;

    public ConsoleContext(Caller caller) {
        this.caller = caller;
    }

    public boolean signedIn() {
        return caller.user().isPresent();
    }

    public String username() {
        return caller.user().map(Users.SignedIn::username).orElse("");
    }

    /** A full user: may change anything and sees ping URLs and tokens. */
    public boolean full() {
        return caller.full();
    }

    /** The value of every form's {@value ConsoleFilter#CSRF_FIELD} field. */
    public String csrf() {
        return caller.user().map(Users.SignedIn::csrf).orElse("");
    }
}
