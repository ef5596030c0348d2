package com.replyhero.whatsapp.web;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answers Tomcat gives itself, before any filter or controller runs, in the one {@link ApiError} shape instead
 * of Tomcat's HTML page: above all a path the connector cannot read (a raw {@code \}, {@code #} or non-ASCII byte,
 * a bad {@code %} escape), which {@link CanonicalPathFilter} never sees, answers 400 {@code invalid_path} as the
 * spellings that filter refuses do.
 */
@Component
class ContainerErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final JsonMapper json;

    ContainerErrors(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            // replaces the plain valve Spring Boot added; the host must not add its default one either
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            if (host instanceof StandardHost standard) {
                standard.setErrorReportValveClass(JsonErrorReport.class.getName());
            }
            host.getPipeline().addValve(new JsonErrorReport(json));
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after Spring Boot's own customizer, which adds the plain valve
    }

    /** Writes the error Tomcat answers itself as an {@link ApiError}; an answer already written is left alone. */
    static final class JsonErrorReport extends ErrorReportValve {

        private final JsonMapper json;

        JsonErrorReport(JsonMapper json) {
            this.json = json;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean();
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            try {
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(json.writeValueAsString(errorFor(status, request, response, throwable)));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the client is gone, or the answer was started after all: nothing more to write
            }
        }

        private static ApiError errorFor(int status, Request request, Response response, Throwable throwable) {
            if (status == 400 && pathUnreadable(request, response, throwable)) {
                return new ApiError(
                        400,
                        "invalid_path",
                        "the request path cannot be read: use plain characters (no raw '\\', '#' or non-ASCII bytes,"
                                + " no percent-encoding)",
                        null,
                        null,
                        null);
            }
            HttpStatus known = HttpStatus.resolve(status);
            String reason = known != null ? known.getReasonPhrase() : "Error";
            return new ApiError(
                    status,
                    reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"),
                    "the request cannot be handled: " + reason,
                    null,
                    null,
                    null);
        }

        /** Tomcat could not parse the request target, or could not decode or normalize its path. */
        private static boolean pathUnreadable(Request request, Response response, Throwable throwable) {
            String message = response.getMessage();
            return request.getRequestURI() == null
                    || (message != null && message.startsWith("Invalid URI"))
                    || (throwable != null
                            && String.valueOf(throwable.getMessage()).contains("request target"));
        }
    }
}
