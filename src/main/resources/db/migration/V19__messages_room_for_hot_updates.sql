-- A message row is written five times: stored (sending), its outcome (accepted, with the wamid), then Meta's sent,
-- delivered and read. The three statuses change no indexed column (see V19_1), so PostgreSQL can keep each new
-- version on the same page without touching an index (a HOT update) when the page has room: new pages are filled
-- to 75 %, leaving a quarter for those versions. Takes effect for pages written from now on; nothing is rewritten.
ALTER TABLE messages SET (fillfactor = 75);
