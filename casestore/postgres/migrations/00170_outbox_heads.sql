-- Each recipient's head: the oldest message not yet finished (pending or
-- sending) of its (channel, to_addr), the only one a sender may claim, so
-- one debtor's replies go out in order. Claiming used to find heads by
-- asking, for every unsent message in ID order, whether an older one to
-- the same recipient was unfinished: behind one recipient's backlog of
-- thousands that walked the whole backlog on every claim, and under a
-- cached generic plan it took 0.8 s of CPU (issue #16). Now the store
-- marks the head when it is queued or when the message before it is
-- finished, and a claim reads the head indexes below: a range scan that
-- stops after the limit, whatever the statistics say.
--
-- head stays true once set (a finished message is in no index below).

-- +goose Up
ALTER TABLE outbound_messages ADD COLUMN head BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE outbound_messages m SET head = TRUE
WHERE m.status IN ('pending', 'sending')
  AND NOT EXISTS (SELECT 1 FROM outbound_messages o
    WHERE o.channel = m.channel AND o.to_addr = m.to_addr AND o.id < m.id
      AND o.status IN ('pending', 'sending'));
-- Heads due to be sent, earliest first.
CREATE INDEX outbound_messages_due_head_idx ON outbound_messages (next_attempt, id)
    WHERE head AND status = 'pending';
-- Heads whose sender's lease may have run out, earliest first.
CREATE INDEX outbound_messages_leased_head_idx ON outbound_messages (lease_until, id)
    WHERE head AND status = 'sending';

-- +goose Down
DROP INDEX outbound_messages_leased_head_idx;
DROP INDEX outbound_messages_due_head_idx;
ALTER TABLE outbound_messages DROP COLUMN head;
