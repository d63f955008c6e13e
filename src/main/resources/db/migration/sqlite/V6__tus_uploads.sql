-- Resumable (tus) uploads under way, and for a while the ones that finished. The offset is what every
-- node answers HEAD with, so it lives here rather than in a node's memory. A PATCH stores its bytes as
-- one part (a file or an object), durable before the offset moves; the offset and the part list move
-- together in one compare-and-set on the old offset, so two PATCHes at the same offset cannot both win.
-- The part list is capped (uploads.maxParts, counted in part_count), so it cannot grow without bound.
CREATE TABLE tus_uploads (
  id            TEXT PRIMARY KEY,
  owner         TEXT    NOT NULL,
  upload_length INTEGER  NOT NULL,   -- bytes, as declared at creation
  upload_offset INTEGER  NOT NULL,   -- bytes stored and acknowledged
  parts         TEXT    NOT NULL,   -- names of the stored parts in offset order, comma-separated
  part_count    INTEGER NOT NULL DEFAULT 0, -- how many names parts holds
  filename      TEXT,               -- Upload-Metadata filename: recorded, never used for the format
  filetype      TEXT,               -- Upload-Metadata filetype: the same
  expires_at    INTEGER  NOT NULL,   -- epoch ms: past it the upload is gone and the sweep frees its bytes
  image_id      TEXT,               -- set once the bytes became an image; the parts are gone then
  completing_until INTEGER           -- epoch ms: a node claimed the completion until then (one ingest at a time)
);

CREATE INDEX tus_uploads_owner ON tus_uploads (owner, image_id);
CREATE INDEX tus_uploads_expires ON tus_uploads (expires_at);
