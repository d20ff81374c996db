-- PostgreSQL twin of ../010_sub_streams.sql (same number, same resulting schema; see server/db/README.md).
-- Sub-streams (子码流). Every IP camera offers a main stream (e.g. 1280x720 at ~2 Mb/s) and a sub-stream (e.g.
-- 640x360 at ~0.5 Mb/s; ONVIF's second media profile). Phones on a resident link and the small tiles of a 9/16
-- wall play the sub-stream: a quarter of the bytes for the same picture at that size. Same credentials as the
-- main stream; never with credentials in the URL. NULL: the camera has none (or it is unknown), play the main.
ALTER TABLE cameras ADD COLUMN sub_stream_url TEXT;
