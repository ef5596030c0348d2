package com.replyhero.whatsapp.apikeys;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope an org-API operation needs. Every {@code /whatsapp/**} operation carries one (a test checks);
 * one without it needs every scope.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresScope {
    Scope value();
}
