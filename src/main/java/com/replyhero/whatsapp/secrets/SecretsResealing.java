package com.replyhero.whatsapp.secrets;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Moves every sealed secret to the current key, once at start and in the background, in bounded batches: values
 * sealed under a previous key (after a rotation) and values stored in clear by older versions. A value that does
 * not open is counted and left as it is (an error in the log names its column), never overwritten.
 */
@Component
public class SecretsResealing {

    /** What a pass did over every column. */
    public record Result(int resealed, int unreadable) {}

    private static final Logger log = LoggerFactory.getLogger(SecretsResealing.class);

    private final List<SealedColumn> columns;
    private final SecretBox box;
    private final int batch;

    SecretsResealing(List<SealedColumn> columns, SecretBox box, SecretsSettings settings) {
        this.columns = columns;
        this.box = box;
        this.batch = settings.resealBatch();
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        Thread.ofVirtual().name("secrets-reseal").start(() -> {
            try {
                resealAll();
            } catch (RuntimeException e) {
                log.warn("Re-sealing secrets under the current key stopped (the next start resumes): {}", e.toString());
            }
        });
    }

    /** One pass over every column; answers what it did. */
    public Result resealAll() {
        int resealed = 0;
        int unreadable = 0;
        for (SealedColumn column : columns) {
            SealedColumn.Position after = null;
            int columnResealed = 0;
            int columnUnreadable = 0;
            while (true) {
                SealedColumn.Batch done = column.resealAfter(after, batch);
                if (done.last() == null) {
                    break;
                }
                columnResealed += done.resealed();
                columnUnreadable += done.unreadable();
                after = done.last();
            }
            if (columnResealed > 0) {
                log.info(
                        "Re-sealed {} values of {} under key id {}", columnResealed, column.name(), box.currentKeyId());
            }
            if (columnUnreadable > 0) {
                // the likely cause: nodes sharing the database with different (generated) keys
                log.error(
                        "{} values of {} cannot be decrypted with the configured keys (ids {}): they stay as they are."
                                + " Every node needs the same RH_SECRETS_KEY; give the key that sealed them in"
                                + " RH_SECRETS_KEY_PREVIOUS",
                        columnUnreadable,
                        column.name(),
                        box.keyIds());
            }
            resealed += columnResealed;
            unreadable += columnUnreadable;
        }
        return new Result(resealed, unreadable);
    }
}
