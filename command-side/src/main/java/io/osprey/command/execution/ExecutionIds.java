package io.osprey.command.execution;

import java.security.SecureRandom;

/** Kestra-style ids: 22 base62 characters from 128 random bits, short and URL-safe. */
final class ExecutionIds {

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ExecutionIds() {
    }

    static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        java.math.BigInteger value = new java.math.BigInteger(1, bytes);
        java.math.BigInteger base = java.math.BigInteger.valueOf(62);
        char[] out = new char[22];
        for (int i = out.length - 1; i >= 0; i--) {
            java.math.BigInteger[] division = value.divideAndRemainder(base);
            out[i] = BASE62[division[1].intValue()];
            value = division[0];
        }
        return new String(out);
    }
}
