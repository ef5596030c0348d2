package com.replyhero.whatsapp.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The exact accounting of a fault scenario, from three sources: what the API answered (the ids it gave),
 * what the gateway stored, and what the sandbox accepted (its ledger, the ground truth).
 *
 * <ul>
 *   <li>accepted: the API answered 200, 202 or 504 with a message id (for a broadcast: each recipient of
 *       its 202);
 *   <li>delivered exactly once: accepted, and the sandbox accepted that id exactly once;
 *   <li>duplicated: ids the sandbox accepted more than once (any id, accepted by the API or not);
 *   <li>lost: accepted, never accepted by the sandbox, and either answered 200 or 202 (the gateway took it
 *       on: whatever it reports later, {@code failed} included, it lost a message it never tried; only Meta's
 *       refusal of it, or a {@code failed} one every marked attempt of which reached the sandbox, is no loss) or, for the others (answered 504, a broadcast's recipients), not {@code
 *       failed} (a final failure the API reports on the message, and as an event);
 *   <li>unknown: messages whose outcome became unknown (no answer, or a sender killed mid-call);
 *       resolved: those of them that a status webhook moved on ({@code sent}, {@code delivered},
 *       {@code read}, or {@code failed} from Meta) rather than the deadline ({@code outcome_unknown}).
 * </ul>
 */
record Accounting(
        String scenario,
        long attempted,
        long accepted,
        long exactlyOnce,
        long duplicated,
        long lost,
        long unknown,
        long unknownResolved,
        long failed,
        long seconds,
        String notes) {

    /** A message as the gateway stored it. */
    record Stored(
            String status,
            String errorCode,
            boolean wasUnknown,
            String broadcastId,
            int attempts,
            java.time.Instant attemptedAt) {}

    /** The error codes of a message Meta refused (it answered, and said no): not a loss. */
    static final Set<String> REFUSED_BY_META = Set.of("upstream_rejected", "upstream_unauthorized");

    /** The accounting of single sends: ids as the API answered them, 200 and 202 held to the stricter rule. */
    static Accounting ofSends(
            String scenario,
            SendLoad load,
            Map<String, Long> tried,
            Map<String, Stored> stored,
            Map<String, Long> ledger,
            long seconds,
            String notes) {
        return of(
                scenario,
                load.attempted.get(),
                load.acceptedIds,
                load.answeredOkIds,
                tried,
                stored,
                ledger,
                seconds,
                notes);
    }

    /** The accounting of a broadcast's recipients (no single send answered 200 or 202). */
    static Accounting of(
            String scenario,
            long attempted,
            Collection<String> acceptedIds,
            Map<String, Stored> stored,
            Map<String, Long> ledger,
            long seconds,
            String notes) {
        return of(scenario, attempted, acceptedIds, Set.of(), Map.of(), stored, ledger, seconds, notes);
    }

    static Accounting of(
            String scenario,
            long attempted,
            Collection<String> acceptedIds,
            Collection<String> answeredOkIds,
            Map<String, Long> tried,
            Map<String, Stored> stored,
            Map<String, Long> ledger,
            long seconds,
            String notes) {
        Set<String> accepted = Set.copyOf(acceptedIds);
        Set<String> answeredOk = Set.copyOf(answeredOkIds);
        long once = 0, lost = 0, unknown = 0, resolved = 0, failed = 0;
        for (String id : accepted) {
            long times = ledger.getOrDefault(id, 0L);
            Stored s = stored.get(id);
            boolean isFailed = s != null && s.status().equals("failed");
            if (times == 1) {
                once++;
            }
            boolean refusedByMeta = isFailed && s.errorCode() != null && REFUSED_BY_META.contains(s.errorCode());
            // a send answered 200/202 that failed is lost unless Meta refused it or every send the gateway marked for
            // it reached the upstream (tried: a kill mid-call or a cut connection leaves the outcome unknown to the
            // gateway); one marked and never sent (fewer received than attempts) is lost
            boolean everyAttemptReached = s != null && tried.getOrDefault(id, 0L) >= s.attempts();
            boolean excused = refusedByMeta || (isFailed && everyAttemptReached);
            if (times == 0 && (answeredOk.contains(id) ? !excused : !isFailed)) {
                lost++;
            }
            if (isFailed) {
                failed++;
            }
            if (s != null && s.wasUnknown()) {
                unknown++;
                if (!"outcome_unknown".equals(s.errorCode()) && !s.status().equals("unknown")) {
                    resolved++;
                }
            }
        }
        long duplicated = ledger.values().stream().filter(n -> n > 1).count();
        return new Accounting(
                scenario,
                attempted,
                accepted.size(),
                once,
                duplicated,
                lost,
                unknown,
                resolved,
                failed,
                seconds,
                notes);
    }

    static final String HEADER = "| scenario | attempted | accepted by API | delivered exactly once | duplicated | lost"
            + " | unknown | unknown resolved | failed (reported) | seconds | notes |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";

    String row() {
        return "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s |\n"
                .formatted(
                        scenario,
                        attempted,
                        accepted,
                        exactlyOnce,
                        duplicated,
                        lost,
                        unknown,
                        unknownResolved,
                        failed,
                        seconds,
                        notes);
    }

    Accounting withNotes(java.util.function.UnaryOperator<String> change) {
        return new Accounting(
                scenario,
                attempted,
                accepted,
                exactlyOnce,
                duplicated,
                lost,
                unknown,
                unknownResolved,
                failed,
                seconds,
                change.apply(notes));
    }

    /** Prints the table and appends the row to {@code target/faults/results.md}. */
    Accounting report() {
        System.out.print("\n" + HEADER + row() + "\n");
        try {
            Path file = Path.of("target", "faults", "results.md");
            Files.createDirectories(file.getParent());
            Files.writeString(file, row(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return this;
    }

    /** Whether the suite passes on this scenario: nothing lost, nothing sent twice. */
    boolean passes() {
        return lost == 0 && duplicated == 0;
    }
}
