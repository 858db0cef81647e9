package io.vigil.evaluator.web;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the console's page resources: their forms are read and checked by {@link ConsoleFilter#checkForm}. Only these
 * endpoints have their body read before filters run; the admin API's bodies never go through the form reader.
 * Every console resource class carries it.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ConsoleForms {
}
