-- The presets every node makes, shared so that no two nodes disagree on them: a node applies its
-- configured list here at start, and every node reads it back (see org.imgedge.presets).
CREATE TABLE presets (
  name    TEXT PRIMARY KEY,
  box     INTEGER NOT NULL,
  quality INTEGER NOT NULL
);

-- The fingerprint of the presets and specs an image's variants were made with. An image whose
-- fingerprint is not the current set's is one the regeneration still has to bring up to date; the
-- index finds those (as "< fp OR > fp") without reading the images that are current.
ALTER TABLE images ADD COLUMN preset_set TEXT NOT NULL DEFAULT '';
CREATE INDEX images_preset_set ON images (preset_set, id);

-- The one regeneration of the deployment: which node runs it (a lease), and its progress for the admin
-- endpoint and the metrics of every node.
CREATE TABLE regeneration (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  preset_set       TEXT    NOT NULL DEFAULT '',  -- the fingerprint it brings images to
  holder           TEXT,                         -- "<node>:<boot>" running it, or null
  lease_expires_at INTEGER  NOT NULL DEFAULT 0,      -- epoch ms: past it, any node may take over
  started_at       INTEGER,
  updated_at       INTEGER,
  finished_at      INTEGER,                          -- null while images remain to be tried
  images_done      INTEGER  NOT NULL DEFAULT 0,
  images_failed    INTEGER  NOT NULL DEFAULT 0,
  images_remaining INTEGER  NOT NULL DEFAULT 0,
  last_error       TEXT
);
INSERT INTO regeneration (id) VALUES (1);
