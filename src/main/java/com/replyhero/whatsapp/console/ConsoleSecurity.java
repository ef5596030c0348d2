package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.orgs.UserAccounts;
import com.replyhero.whatsapp.web.Access;
import jakarta.servlet.Filter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

/**
 * The console's security, all of it Spring Security's, and only for {@code /console/**} (the JSON API keeps its
 * API keys and admin token): a sign-in form, CSRF tokens on every change, a new session id at sign-in, sessions in
 * PostgreSQL with an idle and an absolute timeout (the strict Content-Security-Policy is SecurityHeadersFilter's), roles per org ({@code agent}, {@code admin}) and the operator.
 * The paths are matched by the same path-pattern parser as the dispatcher, on the canonical path
 * ({@code CanonicalPathFilter} has refused every other spelling first).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleSettings.class)
class ConsoleSecurity {

    static final String LOGIN = "/console/login";

    @Bean
    SecurityFilterChain console(HttpSecurity http, UserAccounts accounts, ConsoleSettings settings) throws Exception {
        http.securityMatcher("/console", "/console/**")
                .authorizeHttpRequests(
                        requests -> requests.requestMatchers("/console", LOGIN, "/console/invite", "/console/assets/**")
                                .permitAll()
                                .requestMatchers("/console/operator", "/console/operator/**")
                                .hasRole("OPERATOR")
                                .requestMatchers("/console/admin", "/console/admin/**")
                                .hasRole("ADMIN")
                                .anyRequest()
                                .hasAnyRole("AGENT", "ADMIN"))
                .formLogin(form -> form.loginPage(LOGIN)
                        .loginProcessingUrl(LOGIN)
                        .authenticationDetailsSource(SignInDetails::new)
                        .successHandler(landing())
                        .failureHandler(failure())
                        .permitAll())
                .logout(logout -> logout.logoutUrl("/console/sign-out").logoutSuccessUrl(LOGIN + "?signed-out"))
                .exceptionHandling(errors -> errors.accessDeniedHandler((request, response, denied) -> {
                    response.setStatus(403);
                    response.setContentType("text/html;charset=UTF-8");
                    response.getWriter()
                            .write("<!DOCTYPE html><title>Not allowed</title><h1>Not allowed</h1>"
                                    + "<p id=\"console-error\">Your role may not open this page.</p>"
                                    + "<p><a href=\"/console\">Back</a></p>");
                }))
                .sessionManagement(sessions -> sessions.sessionFixation(fixation -> fixation.changeSessionId()))
                .addFilterBefore(new ConsoleSessionChecks(accounts, settings), AuthorizationFilter.class)
                .addFilterAfter(grantConsole(), AuthorizationFilter.class);
        return http.build();
    }

    /** Argon2id with Spring Security's recommended parameters. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    }

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> idleTimeout(ConsoleSettings settings) {
        return repository -> repository.setDefaultMaxInactiveInterval(settings.idleTimeout());
    }

    /** After the authorization filter let a request through, the dispatcher's access check may run its handler. */
    private static Filter grantConsole() {
        return (request, response, chain) -> {
            Access.grant((jakarta.servlet.http.HttpServletRequest) request, Access.CONSOLE);
            chain.doFilter(request, response);
        };
    }

    /** Users land on their inbox, the operator on the operator area. */
    private static AuthenticationSuccessHandler landing() {
        return (request, response, authentication) -> response.sendRedirect(request.getContextPath()
                + (authentication.getPrincipal() instanceof Operator ? "/console/operator" : "/console/inbox"));
    }

    private static AuthenticationFailureHandler failure() {
        SimpleUrlAuthenticationFailureHandler handler = new SimpleUrlAuthenticationFailureHandler(LOGIN + "?error");
        handler.setUseForward(false);
        return (request, response, exception) -> {
            String reason = switch (exception) {
                case ConsoleSignIn.SignInThrottled throttled -> "throttled";
                default -> "error";
            };
            response.sendRedirect(request.getContextPath() + LOGIN + "?" + reason);
        };
    }
}
