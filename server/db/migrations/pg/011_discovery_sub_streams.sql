-- PostgreSQL twin of ../011_discovery_sub_streams.sql (same number, same resulting schema; see server/db/README.md).
-- Discovery finds sub-streams (子码流): the stream URI of a device's second, smaller ONVIF profile, shown in the
-- review and stored as cameras.sub_stream_url when the device is added. Never with credentials. NULL: none seen.
ALTER TABLE discovery_results ADD COLUMN sub_stream_uri TEXT;
