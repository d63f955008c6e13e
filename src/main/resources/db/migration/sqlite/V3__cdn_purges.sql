-- The CDN purges that deletes still owe: written in the same transaction as the delete of the image's
-- row, so no acknowledged delete can lose its purge; a row goes once its target confirmed the purge.
CREATE TABLE cdn_purges (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  image_id        TEXT    NOT NULL,
  target          TEXT    NOT NULL,   -- the name of a cdn.purge entry: its headers come from the configuration
  method          TEXT    NOT NULL,
  url             TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,   -- epoch ms
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,   -- epoch ms: not taken before (backoff, or another node's claim)
  last_error      TEXT
);

CREATE INDEX cdn_purges_due ON cdn_purges (next_attempt_at);
