-- Images whose blobs may exist without a row: an upload between committing its blobs and recording its
-- row, or a delete between removing its row and its blobs. Recording the row (or removing the blobs)
-- clears the intent in the same step; a crash leaves it behind, and the sweep removes exactly those
-- blobs, with no guess about how old an unrecorded blob must be.
CREATE TABLE blob_intents (
  image_id         TEXT    PRIMARY KEY,
  holder           TEXT    NOT NULL,   -- "<node>:<boot>" of the upload, delete or sweep that holds it
  lease_expires_at INTEGER NOT NULL    -- epoch ms: past it, any node's sweep may take it over
);

CREATE INDEX blob_intents_lease ON blob_intents (lease_expires_at);
