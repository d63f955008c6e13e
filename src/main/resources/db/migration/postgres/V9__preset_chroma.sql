-- How finely each preset's JPEG stores colour ('4:2:0' or '4:4:4'): part of the preset's spec, so that a change
-- here makes the regeneration bring the images recorded so far up to date (see org.imgedge.presets).
ALTER TABLE presets ADD COLUMN chroma TEXT NOT NULL DEFAULT '4:2:0';
