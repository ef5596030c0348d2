package com.replyhero.whatsapp.media;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Inbound media (image, document, video, audio, sticker) are recorded with the customer's message
 * ({@link InboundMedia#received}), which queues their download; every {@code rh.media.download-poll} this claims
 * the due downloads and has {@link InboundMediaDownloader} make each, on its own virtual thread.
 */
@Component
class MediaDownloadDispatcher implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(MediaDownloadDispatcher.class);

    private final InboundMedia media;
    private final InboundMediaDownloader downloader;
    private final Duration poll;

    MediaDownloadDispatcher(InboundMedia media, InboundMediaDownloader downloader, MediaSettings settings) {
        this.media = media;
        this.downloader = downloader;
        this.poll = settings.downloadPoll();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::downloadDue, poll, Duration.ofSeconds(2)));
    }

    void downloadDue() {
        List<InboundMedia.Download> due;
        try {
            due = media.claim(16);
        } catch (RuntimeException e) {
            log.warn("Claiming media downloads failed: {}", e.getMessage());
            return;
        }
        List<Thread> threads = new ArrayList<>();
        for (InboundMedia.Download download : due) {
            threads.add(Thread.ofVirtual().name("media-download").start(() -> downloader.download(download)));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
