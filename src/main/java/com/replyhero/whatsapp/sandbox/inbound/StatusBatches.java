package com.replyhero.whatsapp.sandbox.inbound;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Statuses waiting to be posted, gathered into webhooks as Meta does: at most {@code posts} webhooks are in flight,
 * and whatever came due while they were (up to {@code size}, per number) goes in the next one. Nothing waits for a
 * batch to fill: a status due when a post is free leaves at once, alone if it is alone.
 */
final class StatusBatches implements AutoCloseable {

    private record Due(String phoneNumberId, ObjectNode status, CompletableFuture<Void> posted) {}

    private final LinkedBlockingQueue<Due> queue = new LinkedBlockingQueue<>();
    private final Semaphore posts;
    private final int size;
    private final BiConsumer<String, List<ObjectNode>> post;
    private final Thread gatherer;

    /** {@code post} sends one number's statuses in one webhook, until the gateway takes it (or gives up). */
    StatusBatches(int size, int posts, BiConsumer<String, List<ObjectNode>> post) {
        this.size = size;
        this.posts = new Semaphore(posts);
        this.post = post;
        this.gatherer =
                Thread.ofPlatform().daemon().name("sandbox-status-batches").start(this::gather);
    }

    /** Queues a status; the future completes once the webhook that carried it was answered. */
    CompletableFuture<Void> post(String phoneNumberId, ObjectNode status) {
        Due due = new Due(phoneNumberId, status, new CompletableFuture<>());
        queue.add(due);
        return due.posted();
    }

    private void gather() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                posts.acquire(); // a post is free: take what is due now
                List<Due> batch = new ArrayList<>();
                batch.add(queue.take());
                queue.drainTo(batch, size - 1);
                Thread.startVirtualThread(() -> {
                    try {
                        send(batch);
                    } finally {
                        posts.release();
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(List<Due> batch) {
        Map<String, List<Due>> byNumber = new LinkedHashMap<>();
        batch.forEach(d -> byNumber.computeIfAbsent(d.phoneNumberId(), n -> new ArrayList<>())
                .add(d));
        byNumber.forEach((number, dues) -> {
            try {
                post.accept(number, dues.stream().map(Due::status).toList());
            } finally {
                dues.forEach(d -> d.posted().complete(null));
            }
        });
    }

    @Override
    public void close() {
        gatherer.interrupt();
    }
}
