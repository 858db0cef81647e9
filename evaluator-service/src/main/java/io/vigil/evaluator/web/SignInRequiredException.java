package io.vigil.evaluator.web;

/** A console page asked for without a valid session: the browser is sent to the sign-in page. */
public class SignInRequiredException extends RuntimeException {

    private final String signIn;

    public SignInRequiredException(String signIn) {
        super("Sign in to see this page.");
        this.signIn = signIn;
    }

    /** The sign-in page's address, with where to come back to. */
    public String signIn() {
        return signIn;
    }
}
