package dev.rowan.auth;

import dev.rowan.Problem;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Caps concurrent argon2 work. Each hash or check takes 19 MiB and a core for tens of milliseconds,
 * so hundreds of parallel sign-ins would otherwise exhaust the heap and the processors, and their
 * queries the internal database's few connections, starving every other request, health checks
 * included. A whole sign-in passes the gate, not only its check, so that a refused one costs nothing.
 * Work beyond the cap waits briefly in a bounded line; past that, or when the wait runs out, it is
 * refused at once as {@link Busy}, so a storm of sign-ins ties up only a few request threads.
 */
final class Argon2Gate {
    /** Refused because too much argon2 work is already running or waiting: 503 with Retry-After. */
    static final class Busy extends Problem {
        Busy() {
            super(503, "busy", "Rowan is busy",
                    "Rowan is checking too many passwords at once to check this one now.",
                    "Try again in a moment.", Map.of("Retry-After", "1"));
        }
    }

    private final Semaphore running;
    private final int maxWaiting;
    private final long maxWaitMillis;
    private final AtomicInteger waiting = new AtomicInteger();

    Argon2Gate(int maxRunning, int maxWaiting, long maxWaitMillis) {
        this.running = new Semaphore(maxRunning, true);
        this.maxWaiting = maxWaiting;
        this.maxWaitMillis = maxWaitMillis;
    }

    /**
     * Sized from the processors (at most 4 at once, 76 MiB of the default 256 MiB heap), with a line
     * of eight per slot, each waiting at most 3 seconds: a burst of real sign-ins at the start of a
     * working day fits, a flood does not.
     */
    static Argon2Gate forThisMachine() {
        int slots = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        return new Argon2Gate(slots, 8 * slots, 3_000);
    }

    <T> T run(Supplier<T> work) {
        if (!running.tryAcquire()) {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                throw new Busy();
            }
            try {
                if (!running.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS)) {
                    throw new Busy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Busy();
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            return work.get();
        } finally {
            running.release();
        }
    }
}
