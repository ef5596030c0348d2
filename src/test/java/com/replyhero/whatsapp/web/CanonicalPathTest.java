package com.replyhero.whatsapp.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import tools.jackson.databind.json.JsonMapper;

class CanonicalPathTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void plainPathsAreCanonical() {
        assertThat(CanonicalPath.isCanonical("/")).isTrue();
        assertThat(CanonicalPath.isCanonical("/admin/orgs")).isTrue();
        assertThat(CanonicalPath.isCanonical("/whatsapp/uploads/media_upload")).isTrue();
        assertThat(CanonicalPath.isCanonical("/v3/api-docs.yaml")).isTrue();
        assertThat(CanonicalPath.isCanonical("/admin/orgs/org_1/media-providers/s3.eu"))
                .isTrue();
    }

    @Test
    void everySpellingThatAFilterAndTheDispatcherCouldReadDifferentlyIsNotCanonical() {
        for (String path : new String[] {
            "/admin;x/orgs",
            "/admin/orgs;jsessionid=1",
            "/%61dmin/orgs",
            "/admin%2Forgs",
            "/admin/./orgs",
            "/./admin/orgs",
            "/admin//orgs",
            "//admin/orgs",
            "/admin/orgs/",
            "/x/../admin/orgs",
            "/admin/x/..",
            "/admin\\orgs",
            "",
            "admin/orgs"
        }) {
            assertThat(CanonicalPath.isCanonical(path)).as(path).isFalse();
        }
    }

    @Test
    void theFilterRefusesAPathParameterBeforeAnyOtherFilterRuns() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/admin;x/orgs");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        new CanonicalPathFilter(json).doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentAsString()).contains("\"code\":\"invalid_path\"");
        assertThat(chain.getRequest()).as("the rest of the chain never ran").isNull();
    }

    @Test
    void aFilterAskingForTheCanonicalPathOfAnotherSpellingFailsClosed() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/admin;x/orgs");

        assertThatThrownBy(() -> CanonicalPath.of(request)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void accessIsClassifiedByOneTable() {
        assertThat(Access.of("/admin/orgs/{orgId}/api-keys")).isEqualTo(Access.OPERATOR);
        assertThat(Access.of("/admin")).isEqualTo(Access.OPERATOR);
        assertThat(Access.of("/actuator/metrics")).isEqualTo(Access.OPERATOR);
        assertThat(Access.of("/actuator/sbom")).isEqualTo(Access.OPERATOR);
        assertThat(Access.of("/actuator/health/readiness")).isEqualTo(Access.PUBLIC);
        assertThat(Access.of("/actuator/prometheus")).isEqualTo(Access.PUBLIC);
        assertThat(Access.of("/whatsapp/messages/send")).isEqualTo(Access.ORG);
        assertThat(Access.of("/webhooks/meta")).isEqualTo(Access.PUBLIC);
        assertThat(Access.of("/console")).isEqualTo(Access.CONSOLE);
        assertThat(Access.of("/console/admin/keys")).isEqualTo(Access.CONSOLE);
        assertThat(Access.of("/consoles")).isEqualTo(Access.UNCLASSIFIED);
        assertThat(Access.of("/administration")).isEqualTo(Access.UNCLASSIFIED);
        assertThat(Access.of("/reports/{id}")).isEqualTo(Access.UNCLASSIFIED);
    }

    @Test
    void anOperationNobodyClassifiedIsRefused() throws Exception {
        MockHttpServletRequest request = matched("/reports/{id}");

        assertThatThrownBy(() -> new AccessPolicy().preHandle(request, new MockHttpServletResponse(), handler()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("operation_not_classified"));
    }

    @Test
    void anOperatorOperationRunsOnlyIfTheAdminTokenFilterLetTheRequestThrough() throws Exception {
        MockHttpServletRequest request = matched("/admin/orgs/{orgId}/api-keys");
        AccessPolicy policy = new AccessPolicy();

        assertThatThrownBy(() -> policy.preHandle(request, new MockHttpServletResponse(), handler()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("missing_admin_token"));
        Access.grant(request, Access.ORG); // an org's key is no admin token
        assertThatThrownBy(() -> policy.preHandle(request, new MockHttpServletResponse(), handler()))
                .isInstanceOf(ApiException.class);
        Access.grant(request, Access.OPERATOR);
        assertThat(policy.preHandle(request, new MockHttpServletResponse(), handler()))
                .isTrue();
    }

    @Test
    void aConsolePageRunsOnlyIfTheConsolesSecurityChainLetTheRequestThrough() throws Exception {
        MockHttpServletRequest request = matched("/console/inbox/{customerId}");
        AccessPolicy policy = new AccessPolicy();

        assertThatThrownBy(() -> policy.preHandle(request, new MockHttpServletResponse(), handler()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("not_signed_in"));
        Access.grant(request, Access.ORG); // an org's API key is no console session
        assertThatThrownBy(() -> policy.preHandle(request, new MockHttpServletResponse(), handler()))
                .isInstanceOf(ApiException.class);
        Access.grant(request, Access.CONSOLE);
        assertThat(policy.preHandle(request, new MockHttpServletResponse(), handler()))
                .isTrue();
    }

    @Test
    void anOrgOperationRunsOnlyIfTheApiKeyFilterLetTheRequestThrough() throws Exception {
        MockHttpServletRequest request = matched("/whatsapp/customers/{customerId}");

        assertThatThrownBy(() -> new AccessPolicy().preHandle(request, new MockHttpServletResponse(), handler()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("missing_api_key"));
    }

    @Test
    void aChunkedBodyIsNotReadBeforeTheCallerIsAuthenticated() throws Exception {
        AtomicInteger read = new AtomicInteger();
        MockHttpServletRequest request = chunked("/whatsapp/customers", counting(new byte[1024 * 1024], read));
        AtomicInteger readWhenPassedOn = new AtomicInteger(-1);
        AtomicReference<Throwable> readingOn = new AtomicReference<>();
        MockFilterChain chain = new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(
                    jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                readWhenPassedOn.set(read.get());
                try {
                    req.getInputStream().readAllBytes();
                } catch (IOException e) {
                    readingOn.set(e);
                }
            }
        });

        new BodyLimitFilter(
                        json,
                        new LimitSettings(
                                DataSize.ofKilobytes(64),
                                DataSize.ofMegabytes(1),
                                DataSize.ofMegabytes(3),
                                DataSize.ofKilobytes(256),
                                DataSize.ofMegabytes(20)))
                .doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(readWhenPassedOn.get())
                .as("bytes read before the next filter ran")
                .isZero();
        assertThat(readingOn.get()).isInstanceOf(BodyTooLargeException.class);
        assertThat(read.get()).as("bytes read in all").isLessThanOrEqualTo(64 * 1024 + 8192 + 1);
    }

    private static MockHttpServletRequest chunked(String path, InputStream body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path) {
            @Override
            public jakarta.servlet.ServletInputStream getInputStream() {
                return new jakarta.servlet.ServletInputStream() {
                    @Override
                    public int read() throws IOException {
                        return body.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return body.read(b, off, len);
                    }

                    @Override
                    public boolean isFinished() {
                        return false;
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setReadListener(jakarta.servlet.ReadListener listener) {}
                };
            }

            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        request.setContentType("application/json");
        return request;
    }

    private static InputStream counting(byte[] bytes, AtomicInteger read) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                read.addAndGet(Math.max(n, 0));
                return n;
            }

            @Override
            public synchronized int read() {
                int n = super.read();
                read.addAndGet(n >= 0 ? 1 : 0);
                return n;
            }
        };
    }

    private static MockHttpServletRequest matched(String pattern) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/whatever");
        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, pattern);
        return request;
    }

    private static HandlerMethod handler() throws NoSuchMethodException {
        return new HandlerMethod(new Object(), Object.class.getMethod("toString"));
    }
}
