package io.vigil.contracts;

/** A monitor's status (API.md section 2). */
public enum Status {
    /** Never pinged: nothing is expected yet. */
    NEW,
    UP,
    /** Past its due time, still inside grace. */
    LATE,
    DOWN,
    PAUSED,
    /** Inside one of its maintenance windows: no deadline fires and failures change nothing until the window ends. */
    MAINTENANCE
}
