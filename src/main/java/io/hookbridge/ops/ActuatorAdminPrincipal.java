package io.hookbridge.ops;

import java.io.IOException;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import io.hookbridge.admin.AdminTokenFilter;

/**
 * On {@code /actuator/*}: a request carrying the admin bearer token ({@code hookbridge.admin.token}) is given a
 * principal, so Actuator's {@code show-details: when-authorized} shows it the health details (errors, store usage,
 * broker URL). Every other request passes unchanged: health stays public (probes and load balancers send no
 * token), only without details. Actuator asks {@link HttpServletRequest#getUserPrincipal()}, which is all this sets.
 */
public class ActuatorAdminPrincipal extends OncePerRequestFilter {

    static final Principal ADMIN = () -> "hookbridge-admin";

    private final AdminTokenFilter token;

    public ActuatorAdminPrincipal(AdminTokenFilter token) {
        this.token = token;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || token.refusal(authorization) != null) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return ADMIN;
            }

            @Override
            public boolean isUserInRole(String role) {
                return true;
            }
        }, response);
    }
}
