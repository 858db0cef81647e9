package io.vigil.evaluator.hc;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/**
 * The Healthchecks fields of a monitor that Vigil's own model has no place for (table {@code hc_check}): the
 * allowed ping methods, the tags as the client wrote them, the time zone and timeout kept while a check has the
 * other kind of schedule, and the email-filtering fields (stored and returned; Vigil takes no pings by email).
 * A monitor made through {@code /api/v1} has no row until a Healthchecks call changes it, and reads as the defaults.
 */
@Entity
@Table(name = "hc_check")
public class HcCheck extends PanacheEntityBase {

    @Id
    @Column(name = "monitor_id")
    public UUID monitorId;

    /**
     * {@code ""} (any method) or {@code "POST"}: then a GET or HEAD ping is kept as ignored and changes nothing
     * ({@link io.vigil.evaluator.service.PingApplier} asks for these monitors).
     */
    public String methods = "";

    /** The space-separated tags as sent, returned while they still split into the monitor's tags. */
    public String tags = "";

    public String tz = "UTC";

    @Column(name = "timeout_s")
    public long timeoutSeconds = HcSpec.DEFAULT_TIMEOUT;

    /** The cron expression kept while the check has an interval schedule. */
    public String schedule = "* * * * *";

    @Column(name = "start_kw")
    public String startKw = "";

    @Column(name = "success_kw")
    public String successKw = "";

    @Column(name = "failure_kw")
    public String failureKw = "";

    @Column(name = "filter_subject")
    public boolean filterSubject;

    @Column(name = "filter_body")
    public boolean filterBody;

    @Column(name = "filter_http_body")
    public boolean filterHttpBody;

    @Column(name = "filter_default_fail")
    public boolean filterDefaultFail;

    /** The stored fields of {@code monitorId}, or a new unsaved row of defaults. */
    public static HcCheck of(UUID monitorId) {
        HcCheck stored = findById(monitorId);
        if (stored != null) {
            return stored;
        }
        HcCheck fresh = new HcCheck();
        fresh.monitorId = monitorId;
        return fresh;
    }
}
