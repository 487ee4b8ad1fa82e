package com.imagina.credits.estimates;

import com.imagina.credits.system.security.Caller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/admin/calibration}: recompute the per-model and per-world estimates now. */
@RestController
class CalibrationController {
    private final Calibration calibration;

    CalibrationController(Calibration calibration) {
        this.calibration = calibration;
    }

    @PostMapping("/api/v1/admin/calibration")
    Calibration.Result calibrate() {
        Caller.current().requireAdmin();
        return calibration.run(true);
    }
}
