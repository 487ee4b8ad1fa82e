package com.imagina.credits.worlds;

import java.time.Instant;

/** A world players journey in; its owner earns revenue share while it is published. */
public record World(String worldId, String ownerId, String title, boolean published, Instant createdAt,
        Instant updatedAt) {}
