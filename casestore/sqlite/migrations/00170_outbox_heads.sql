-- Each recipient's head: the oldest message not yet finished (pending or
-- sending) of its (channel, to_addr), the only one a sender may claim, so
-- one debtor's replies go out in order and a claim reads two small
-- indexes instead of walking one recipient's backlog (issue #16; see the
-- PostgreSQL migration of the same number). head stays true once set.

-- +goose Up
ALTER TABLE outbound_messages ADD COLUMN head INTEGER NOT NULL DEFAULT 0;
UPDATE outbound_messages SET head = 1
WHERE status IN ('pending', 'sending')
  AND NOT EXISTS (SELECT 1 FROM outbound_messages o
    WHERE o.channel = outbound_messages.channel AND o.to_addr = outbound_messages.to_addr
      AND o.id < outbound_messages.id AND o.status IN ('pending', 'sending'));
CREATE INDEX outbound_messages_due_head ON outbound_messages (next_attempt, id)
    WHERE head AND status = 'pending';
CREATE INDEX outbound_messages_leased_head ON outbound_messages (lease_until, id)
    WHERE head AND status = 'sending';

-- +goose Down
DROP INDEX outbound_messages_leased_head;
DROP INDEX outbound_messages_due_head;
ALTER TABLE outbound_messages DROP COLUMN head;
