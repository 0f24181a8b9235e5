package io.hookbridge.admin;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The operator's console ({@code /console}) and the API's Swagger UI ({@code /swagger-ui}): static pages from the
 * jar that call the admin API with the token the operator types in; the pages themselves hold no data.
 */
@Controller
public class ConsoleController {

    @GetMapping({"/console", "/console/"})
    public String console() {
        return "forward:/console/index.html";
    }

    @GetMapping({"/swagger-ui", "/swagger-ui/"})
    public String swaggerUi() {
        return "forward:/swagger-ui.html";
    }
}
