// Package store is the simulator's durable state: an embedded bbolt file under the data directory.
//
// Nothing the simulator acknowledges (a function, a message, an event, a checkpoint) is acknowledged
// before the transaction holding it has committed. Values are JSON documents in named buckets, so the
// file stays readable with any bbolt tool and a schema change is an added field, not a migration.
//
// In-memory mode keeps the same code path: a bbolt file in a temporary directory, without fsync,
// removed on Close. Tests and `--in-memory` get the real store's semantics at memory-like speed.
package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrNotFound is returned by Get when a key is absent.
var ErrNotFound = errors.New("store: not found")

// FileName is the store's file inside the data directory.
const FileName = "simulator.db"

// Store is an open bbolt database.
type Store struct {
	db      *bolt.DB
	tempDir string // set in in-memory mode: removed on Close
}

// Open opens (or creates) the durable store in dataDir.
func Open(dataDir string) (*Store, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating data directory %s: %w", dataDir, err)
	}
	path := filepath.Join(dataDir, FileName)
	// A second simulator on the same directory would wait for the file lock forever; fail instead.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("opening store %s (is another simulator using this data directory?): %w", path, err)
	}
	return &Store{db: db}, nil
}

// OpenTemp opens a store in a fresh temporary directory without fsync; Close removes it.
func OpenTemp() (*Store, error) {
	dir, err := os.MkdirTemp("", "lambdatrigger-sim-")
	if err != nil {
		return nil, err
	}
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, &bolt.Options{NoSync: true, NoFreelistSync: true})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &Store{db: db, tempDir: dir}, nil
}

// Close closes the database (and removes it in in-memory mode).
func (s *Store) Close() error {
	err := s.db.Close()
	if s.tempDir != "" {
		os.RemoveAll(s.tempDir)
	}
	return err
}

// Update runs fn in a read-write transaction; the writes are durable when Update returns nil.
func (s *Store) Update(fn func(tx *Tx) error) error {
	return s.db.Update(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// Batch is Update for many concurrent small writers: bbolt groups their transactions into one commit.
// fn may run more than once, so it must be idempotent apart from its writes.
func (s *Store) Batch(fn func(tx *Tx) error) error {
	return s.db.Batch(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(tx *Tx) error) error {
	return s.db.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// Tx is a transaction. Bucket names are paths: "lambda/functions" is bucket "functions" inside
// bucket "lambda", so each service keeps its state under its own top-level bucket.
type Tx struct {
	tx *bolt.Tx
}

func (t *Tx) bucket(path string, create bool) (*bolt.Bucket, error) {
	var b *bolt.Bucket
	for i, name := range splitPath(path) {
		var next *bolt.Bucket
		switch {
		case i == 0 && create && t.tx.Writable():
			var err error
			if next, err = t.tx.CreateBucketIfNotExists([]byte(name)); err != nil {
				return nil, err
			}
		case i == 0:
			next = t.tx.Bucket([]byte(name))
		case create && t.tx.Writable():
			var err error
			if next, err = b.CreateBucketIfNotExists([]byte(name)); err != nil {
				return nil, err
			}
		default:
			next = b.Bucket([]byte(name))
		}
		if next == nil {
			return nil, nil
		}
		b = next
	}
	return b, nil
}

// Put stores v as JSON under key in bucket, creating the bucket if needed.
func (t *Tx) Put(bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s/%s: %w", bucket, key, err)
	}
	return t.PutRaw(bucket, key, data)
}

// PutRaw stores bytes under key in bucket, creating the bucket if needed.
func (t *Tx) PutRaw(bucket, key string, data []byte) error {
	b, err := t.bucket(bucket, true)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}

// Get decodes the JSON under key into v, or returns ErrNotFound.
func (t *Tx) Get(bucket, key string, v any) error {
	data, err := t.GetRaw(bucket, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decoding %s/%s: %w", bucket, key, err)
	}
	return nil
}

// GetRaw returns a copy of the bytes under key, or ErrNotFound.
func (t *Tx) GetRaw(bucket, key string) ([]byte, error) {
	b, err := t.bucket(bucket, false)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, ErrNotFound
	}
	data := b.Get([]byte(key))
	if data == nil {
		return nil, ErrNotFound
	}
	return append([]byte(nil), data...), nil
}

// Has reports whether key exists in bucket.
func (t *Tx) Has(bucket, key string) bool {
	_, err := t.GetRaw(bucket, key)
	return err == nil
}

// Delete removes key from bucket; a missing key or bucket is not an error.
func (t *Tx) Delete(bucket, key string) error {
	b, err := t.bucket(bucket, false)
	if err != nil || b == nil {
		return err
	}
	return b.Delete([]byte(key))
}

// DeleteBucket removes a bucket and everything in it; a missing bucket is not an error.
func (t *Tx) DeleteBucket(path string) error {
	parts := splitPath(path)
	if len(parts) == 1 {
		err := t.tx.DeleteBucket([]byte(parts[0]))
		if errors.Is(err, bolterrors.ErrBucketNotFound) {
			return nil
		}
		return err
	}
	parent, err := t.bucket(joinPath(parts[:len(parts)-1]), false)
	if err != nil || parent == nil {
		return err
	}
	err = parent.DeleteBucket([]byte(parts[len(parts)-1]))
	if errors.Is(err, bolterrors.ErrBucketNotFound) {
		return nil
	}
	return err
}

// ForEach calls fn for every key with the given prefix in bucket, in key order, until fn returns
// a non-nil error (ErrStop ends the walk without an error).
func (t *Tx) ForEach(bucket, prefix string, fn func(key string, value []byte) error) error {
	b, err := t.bucket(bucket, false)
	if err != nil || b == nil {
		return err
	}
	c := b.Cursor()
	p := []byte(prefix)
	for k, v := c.Seek(p); k != nil && hasPrefix(k, p); k, v = c.Next() {
		if v == nil { // a nested bucket
			continue
		}
		if err := fn(string(k), v); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// ForEachAfter is ForEach starting strictly after key `after` (for pagination and log tails).
func (t *Tx) ForEachAfter(bucket, after string, fn func(key string, value []byte) error) error {
	b, err := t.bucket(bucket, false)
	if err != nil || b == nil {
		return err
	}
	c := b.Cursor()
	k, v := c.Seek([]byte(after))
	if k != nil && string(k) == after {
		k, v = c.Next()
	}
	for ; k != nil; k, v = c.Next() {
		if v == nil {
			continue
		}
		if err := fn(string(k), v); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// ForEachReverse calls fn for every key in bucket from the last to the first, until fn returns a
// non-nil error (ErrStop ends the walk without an error): for the newest entries of a log.
func (t *Tx) ForEachReverse(bucket string, fn func(key string, value []byte) error) error {
	b, err := t.bucket(bucket, false)
	if err != nil || b == nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		if v == nil {
			continue
		}
		if err := fn(string(k), v); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// Count is the number of keys in bucket.
func (t *Tx) Count(bucket string) int {
	b, _ := t.bucket(bucket, false)
	if b == nil {
		return 0
	}
	return b.Stats().KeyN
}

// NextSequence returns a per-bucket increasing integer, durable with the transaction.
func (t *Tx) NextSequence(bucket string) (uint64, error) {
	b, err := t.bucket(bucket, true)
	if err != nil {
		return 0, err
	}
	return b.NextSequence()
}

// ErrStop ends a ForEach walk early without an error.
var ErrStop = errors.New("store: stop")

// SeqKey formats a sequence number as a key that sorts in numeric order.
func SeqKey(n uint64) string {
	return fmt.Sprintf("%020d", n)
}

func splitPath(path string) []string { return strings.Split(path, "/") }

func joinPath(parts []string) string { return strings.Join(parts, "/") }

func hasPrefix(k, p []byte) bool { return bytes.HasPrefix(k, p) }
