-- One row per uploaded image. Variants are a small JSON list ({preset, width, height, bytes, sha256}),
-- always read together with their image, so they need no table of their own.
CREATE TABLE images (
  id              TEXT COLLATE "C" PRIMARY KEY, -- UUIDv7: byte order is creation order
  owner           TEXT    NOT NULL,
  created_at      BIGINT  NOT NULL,             -- epoch milliseconds
  content_type    TEXT    NOT NULL,
  bytes           BIGINT  NOT NULL,
  width           INTEGER NOT NULL,             -- as displayed, after EXIF orientation
  height          INTEGER NOT NULL,
  sha256          TEXT    NOT NULL,
  metadata        TEXT    NOT NULL,             -- JSON
  variants        TEXT    NOT NULL,             -- JSON
  analysis_status TEXT    NOT NULL DEFAULT 'pending',
  analysis_result TEXT,                         -- JSON
  UNIQUE (owner, sha256)                        -- a retried upload never makes a duplicate
);

CREATE INDEX images_owner_id ON images (owner, id);
