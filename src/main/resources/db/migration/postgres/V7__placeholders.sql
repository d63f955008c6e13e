-- The image's ThumbHash placeholder (standard base64, about 25 bytes), made at upload from the small
-- variant's pixels. Null for images recorded before placeholders existed: their preset_set fingerprint
-- lacks the placeholder entry, so the regeneration makes theirs.
ALTER TABLE images ADD COLUMN thumbhash TEXT;
