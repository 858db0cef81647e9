package io.vigil.notifier.service;

/** What recording one batch of records did: deliveries created, unparseable records newly set aside. */
public record Taken(int deliveries, int setAside) {
}
