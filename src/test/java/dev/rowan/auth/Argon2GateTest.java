package dev.rowan.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class Argon2GateTest {
    /** Occupies the gate's only slot until {@code release} opens. */
    private static Future<String> occupy(ExecutorService pool, Argon2Gate gate, CountDownLatch inside, CountDownLatch release) {
        return pool.submit(() -> gate.run(() -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "done";
        }));
    }

    @Test
    void workBeyondTheSlotsAndTheLineIsRefusedAtOnceAsBusy() throws Exception {
        Argon2Gate gate = new Argon2Gate(1, 0, 10_000);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Future<String> first = occupy(pool, gate, inside, release);
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            long start = System.nanoTime();
            Argon2Gate.Busy busy = assertThrows(Argon2Gate.Busy.class, () -> gate.run(() -> "second"));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "no line: refused without waiting");
            assertEquals(503, busy.status());
            assertEquals("busy", busy.code());
            assertEquals("1", busy.headers().get("Retry-After"));
            release.countDown();
            assertEquals("done", first.get(10, TimeUnit.SECONDS));
            assertEquals("third", gate.run(() -> "third"), "a freed slot is used again");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void workInLineWaitsForASlotAndGivesUpAfterTheWait() throws Exception {
        Argon2Gate gate = new Argon2Gate(1, 1, 200);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            occupy(pool, gate, inside, release);
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            long start = System.nanoTime();
            assertThrows(Argon2Gate.Busy.class, () -> gate.run(() -> "waited"));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "it waited in line first");
            release.countDown();
            assertEquals("after", gate.run(() -> "after"));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
