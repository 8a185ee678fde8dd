package org.videoforge.frame;

/** Quantisation range: limited ("TV", 16-235/240 at 8 bits) or full ("PC", 0-255). */
public enum ColorRange {
    LIMITED,
    FULL
}
