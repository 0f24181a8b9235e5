package io.hookbridge.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.hookbridge.delivery.RouteProblem;
import io.hookbridge.delivery.RoutesDirectory;

/**
 * {@code GET /admin/config/problems}: the route files changed while HookBridge runs that it refused, each problem
 * with file and line; the previous version of each of those files keeps running. Empty when every file is in use.
 */
@RestController
@RequestMapping(path = "/admin/config", produces = MediaType.APPLICATION_JSON_VALUE)
public class ConfigProblemsController {

    private final RoutesDirectory routes;

    public ConfigProblemsController(RoutesDirectory routes) {
        this.routes = routes;
    }

    @GetMapping("/problems")
    public Map<String, Object> problems() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routesDir", routes.directory().toString());
        body.put("routes", views(routes.problems()));
        return body;
    }

    static List<Map<String, Object>> views(List<RouteProblem> problems) {
        return problems.stream().map(p -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("file", p.file());
            view.put("line", p.line());
            view.put("problem", p.problem());
            view.put("message", p.toString());
            return view;
        }).toList();
    }
}
