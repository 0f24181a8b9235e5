package io.hookbridge.vendor;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code vendors} in /actuator/health: the vendors loaded and, when an edit of a vendor file was refused, its
 * problems. Still UP then: the file's previous definition keeps serving, so no webhook is refused for it.
 */
@Component("vendors")
public class VendorsHealthIndicator implements HealthIndicator {

    private final VendorCatalog catalog;

    public VendorsHealthIndicator(VendorCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Health health() {
        VendorCatalog.Vendors vendors = catalog.vendors();
        Health.Builder health = Health.up().withDetail("loaded", vendors.definitions().keySet());
        if (!vendors.problems().isEmpty()) health.withDetail("problems", vendors.problems());
        return health.build();
    }
}
