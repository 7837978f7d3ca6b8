package dev.overlaynet;

/** Shared checks of VLAN ids and ranges (1..4094, end not below start). */
final class VlanRange {
    static final int MIN = 1;
    static final int MAX = 4094;

    private VlanRange() {}

    static void check(Integer vid, Integer end) {
        if (vid == null) {
            throw new IllegalArgumentException("vid must be set (" + MIN + ".." + MAX + ")");
        }
        if (vid < MIN || vid > MAX) {
            throw new IllegalArgumentException("vid " + vid + " out of range [" + MIN + ".." + MAX + "]");
        }
        if (end != null && (end < vid || end > MAX)) {
            throw new IllegalArgumentException("end " + end + " out of range [" + vid + ".." + MAX + "]");
        }
    }

    static String text(int vid, int end) {
        return end == vid ? Integer.toString(vid) : vid + "-" + end;
    }
}
