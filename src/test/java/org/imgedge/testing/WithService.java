package org.imgedge.testing;

import io.vertx.junit5.VertxExtension;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against the real service in the test configuration: started before its first
 * test, closed with its storage after its last (see {@link RunningApp}). Its tests reach it with
 * {@link RunningApp#service()}, and may take Vert.x's {@code Vertx} and {@code VertxTestContext} as
 * parameters. A class that needs other settings declares its own {@code RunningApp} field instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(VertxExtension.class)
@ExtendWith(RunningApp.class)
public @interface WithService {}
