package io.hookbridge.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import io.hookbridge.event.EventJson;

/**
 * {@code /admin/**} needs {@code Authorization: Bearer <hookbridge.admin.token>}. With no token configured every
 * request is refused. The comparison is constant-time (digests compared with {@link MessageDigest#isEqual}).
 */
public class AdminTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "bearer ";

    private final byte[] expected;

    public AdminTokenFilter(String token) {
        this.expected = token == null || token.isBlank() ? null : digest(token.strip());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = refusal(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (refusal == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"hookbridge-admin\"");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(EventJson.write(EventJson.mapper().valueToTree(AdminController.error("unauthorized", refusal))));
    }

    /** @return why the request is refused, or null when the token matches */
    public String refusal(String authorization) {
        if (expected == null) return "the admin API is disabled: no hookbridge.admin.token is configured";
        if (authorization == null || authorization.isBlank()) return "missing Authorization: Bearer <admin token>";
        if (authorization.length() < BEARER.length() || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return "the Authorization header must use the Bearer scheme";
        }
        byte[] presented = digest(authorization.substring(BEARER.length()).strip());
        return MessageDigest.isEqual(expected, presented) ? null : "wrong admin token";
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
