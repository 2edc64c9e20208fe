package io.oasis.admin;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The built-in dashboard page: one HTML file with its script, read once; no front-end build to run it. */
@RestController
public class DashboardPage {

    private final byte[] page;

    public DashboardPage() throws IOException {
        try (InputStream in = new ClassPathResource("admin/dashboard.html").getInputStream()) {
            this.page = in.readAllBytes();
        }
    }

    @GetMapping("/admin/dashboard")
    ResponseEntity<byte[]> page() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; "
                        + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:")
                .body(page);
    }

    /** Browsers ask for it on every page (the login page too); no icon, and no 404 in their console. */
    @GetMapping("/favicon.ico")
    ResponseEntity<Void> noIcon() {
        return ResponseEntity.noContent().cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(7))).build();
    }
}
