package dev.pulse.ingest.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The {@code 202} body of {@code POST /api/events} (SPEC §1.3) — {@code {"accepted", "rejected"}} — and
 * the {@code 400} body when nothing was valid, which adds {@code error} and {@code detail}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record IngestResponse(String error, String detail, int accepted, List<RejectedRecord> rejected) {

    record RejectedRecord(int index, String error) {
    }

    static IngestResponse accepted(int accepted, List<RejectedRecord> rejected) {
        return new IngestResponse(null, null, accepted, rejected);
    }
}
