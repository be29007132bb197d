package io.podfleet.vault;

/**
 * A vault's shape: {@code data + parity = width} hosts, each contributing {@code tomeCount} slots starting at
 * {@code firstSlot}.
 */
record Geometry(int data, int parity, int width, int tomeCount, int firstSlot) {
}
