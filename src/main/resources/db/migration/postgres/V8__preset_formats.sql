-- The formats each preset is made in besides JPEG, and how: part of the preset's spec, so that a change
-- here makes the regeneration bring the images recorded so far up to date (see org.imgedge.presets).
ALTER TABLE presets ADD COLUMN progressive  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE presets ADD COLUMN formats      TEXT    NOT NULL DEFAULT 'jpeg';
ALTER TABLE presets ADD COLUMN webp_quality INTEGER NOT NULL DEFAULT 0;
ALTER TABLE presets ADD COLUMN avif_quality INTEGER NOT NULL DEFAULT 0;
