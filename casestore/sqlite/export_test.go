package sqlite

import (
	"context"
	"fmt"
)

// LoadImage replaces the whole database of an in-memory store with image,
// the bytes of a database file (sqlite3_deserialize): the in-memory
// conformance tests start from a migrated image instead of migrating.
func (s *Store) LoadImage(ctx context.Context, image []byte) error {
	if !inMemory(s.path) {
		return fmt.Errorf("LoadImage: %s is not in memory", s.path)
	}
	buf := append([]byte(nil), image...)
	// Bytes 18 and 19 of the header are 2 for a write-ahead-logged file;
	// a database in memory keeps a rollback journal (1).
	buf[18], buf[19] = 1, 1
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		d, ok := dc.(interface{ Deserialize([]byte) error })
		if !ok {
			return fmt.Errorf("LoadImage: driver connection %T cannot deserialize", dc)
		}
		return d.Deserialize(buf)
	})
}
