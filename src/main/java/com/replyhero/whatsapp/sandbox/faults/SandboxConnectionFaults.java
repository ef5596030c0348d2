package com.replyhero.whatsapp.sandbox.faults;

import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Connection faults of the Graph send, below the servlet layer (a servlet cannot close its connection): a
 * connection cut after the request is read but before the message is accepted, and an answer dropped after the
 * sandbox accepted the message. Both leave
 * the client with a closed connection and no answer, as a network failure between the gateway and Meta does.
 */
@Component
@Conditional(SandboxEnabled.class)
public class SandboxConnectionFaults implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private static final String CLOSE = SandboxConnectionFaults.class.getName() + ".close";
    private static final String RECEIVED = SandboxConnectionFaults.class.getName() + ".received";
    private static final String RESET = SandboxConnectionFaults.class.getName() + ".reset";

    private final SandboxFaults faults;

    SandboxConnectionFaults(SandboxFaults faults) {
        this.faults = faults;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addEngineValves(new ValveBase(true) {
            @Override
            public void invoke(Request request, Response response) throws IOException, ServletException {
                if (isGraphSend(request)) {
                    request.setAttribute(CLOSE, (Runnable) () -> close(response));
                    if (faults.resetNow()) {
                        request.setAttribute(RESET, Boolean.TRUE); // read (so the ledger knows it came), then closed
                    }
                    // when the request's first bytes arrived, before any queueing in this process
                    request.setAttribute(
                            RECEIVED,
                            Instant.ofEpochMilli(request.getCoyoteRequest().getStartTime()));
                }
                getNext().invoke(request, response);
            }
        });
    }

    /** Closes the connection of this Graph send without an answer (whatever is written after is discarded). */
    public static void dropAnswer(HttpServletRequest request) {
        if (request.getAttribute(CLOSE) instanceof Runnable close) {
            close.run();
        }
    }

    /** Whether this Graph send is to be cut: read, not accepted, the connection closed without an answer. */
    public static boolean resetRequested(HttpServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(RESET));
    }

    /** When the connector started reading this Graph send (now, for a request that did not pass the valve). */
    public static Instant receivedAt(HttpServletRequest request) {
        return request.getAttribute(RECEIVED) instanceof Instant at ? at : Instant.now();
    }

    private static boolean isGraphSend(Request request) {
        // an engine valve sees every request, even one whose path the connector could not read (a raw '\', '#'
        // or non-ASCII byte): that one has no URI, and Tomcat answers it 400 after the valves
        String uri = request.getRequestURI();
        return "POST".equals(request.getMethod())
                && uri != null
                && uri.startsWith("/sandbox/graph/")
                && uri.endsWith("/messages");
    }

    private static void close(Response response) {
        response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
    }
}
