package io.hookbridge.vendor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/vendors} (behind the admin token): every vendor now loaded, where its definition came from,
 * whether it can be a subscription format, and the problems of the vendor files as they are on disk (an edit
 * refused; its previous definition keeps serving).
 */
@RestController
public class VendorsController {

    private final VendorCatalog catalog;

    public VendorsController(VendorCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping(path = "/admin/vendors", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> vendors() {
        VendorCatalog.Vendors vendors = catalog.vendors();
        List<Map<String, Object>> list = new ArrayList<>();
        vendors.definitions().forEach((id, definition) -> {
            Map<String, Object> vendor = new LinkedHashMap<>();
            vendor.put("id", id);
            vendor.put("name", definition.name);
            vendor.put("definedBy", vendors.origins().get(id));
            vendor.put("auth", definition.auth.scheme);
            vendor.put("format", vendors.formats().containsKey(id));
            vendor.put("secretConfigured", !vendors.sources().get(id).secretsEmpty());
            list.add(vendor);
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("directory", catalog.directory().toString());
        answer.put("vendors", list);
        answer.put("problems", vendors.problems());
        return answer;
    }
}
