-- A message whose sender stopped (its sending lease ran out: the node died, or was held up and did not call) is
-- unknown: its request may or may not have left. Such a message is sent again when no status from Meta shows, by
-- the end of its wait, that Meta has it; an unknown the sender saw end without an answer (a timeout, a cut
-- connection: the request left) is not, and fails with outcome_unknown as before.
ALTER TABLE messages ADD COLUMN sender_stopped boolean NOT NULL DEFAULT false;
