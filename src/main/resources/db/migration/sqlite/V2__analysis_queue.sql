-- The AI work queue is the images table itself: an image waits for analysis from the moment its row
-- exists, so the upload's insert is also its enqueue, in the same statement.
ALTER TABLE images ADD COLUMN analysis_attempts INTEGER NOT NULL DEFAULT 0; -- claims so far
ALTER TABLE images ADD COLUMN job_id            TEXT;                       -- the current lease token
ALTER TABLE images ADD COLUMN lease_expires_at  INTEGER;                    -- epoch ms, while processing
ALTER TABLE images ADD COLUMN available_at      INTEGER NOT NULL DEFAULT 0; -- epoch ms: not claimable before (backoff)
ALTER TABLE images ADD COLUMN analysis_error    TEXT;                       -- the worker's last reported error

CREATE UNIQUE INDEX images_job_id ON images (job_id);
-- The claim walks this oldest first; analysed images leave it, so it stays the size of the backlog.
CREATE INDEX images_unanalysed ON images (id) WHERE analysis_status IN ('pending', 'processing');
CREATE INDEX images_analysis_status ON images (analysis_status, created_at);

-- Every job id ever handed out. The images row only knows the current lease; this ledger is what tells
-- a stale job id (409: someone else holds the image now, or the job is over) from one never issued (404).
CREATE TABLE jobs (
  job_id     TEXT    PRIMARY KEY,
  image_id   TEXT    NOT NULL,
  attempt    INTEGER NOT NULL,   -- 1 for the first claim of the image
  claimed_at INTEGER NOT NULL    -- epoch ms
);
