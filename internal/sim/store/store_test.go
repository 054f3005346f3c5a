package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

type doc struct {
	Name  string
	Count int
}

func TestStore_putGetSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *Tx) error { return tx.Put("svc/things", "a", doc{"a", 1}) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got doc
	if err := s.View(func(tx *Tx) error { return tx.Get("svc/things", "a", &got) }); err != nil {
		t.Fatal(err)
	}
	if got != (doc{"a", 1}) {
		t.Fatalf("got %+v after reopen", got)
	}
}

func TestStore_secondOpenOfSameDirFails(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s2, err := Open(dir); err == nil {
		s2.Close()
		t.Fatal("a second store opened the same data directory")
	}
}

func TestStore_notFoundAndDelete(t *testing.T) {
	s, err := OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(tx *Tx) error { var d doc; return tx.Get("nope/none", "x", &d) })
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get from a missing bucket = %v, want ErrNotFound", err)
	}
	s.Update(func(tx *Tx) error { return tx.Put("b", "k", doc{}) })
	s.Update(func(tx *Tx) error { return tx.Delete("b", "k") })
	s.View(func(tx *Tx) error {
		if tx.Has("b", "k") {
			t.Error("deleted key still present")
		}
		return nil
	})
	if err := s.Update(func(tx *Tx) error { return tx.Delete("missing", "k") }); err != nil {
		t.Fatalf("Delete from a missing bucket = %v", err)
	}
	if err := s.Update(func(tx *Tx) error { return tx.DeleteBucket("missing/nested") }); err != nil {
		t.Fatalf("DeleteBucket of a missing bucket = %v", err)
	}
}

func TestStore_forEachPrefixAfterAndSequence(t *testing.T) {
	s, err := OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Update(func(tx *Tx) error {
		for i := 0; i < 5; i++ {
			n, err := tx.NextSequence("log")
			if err != nil {
				return err
			}
			if err := tx.PutRaw("log", SeqKey(n), []byte(fmt.Sprint(n))); err != nil {
				return err
			}
		}
		tx.PutRaw("kv", "a/1", []byte("1"))
		tx.PutRaw("kv", "a/2", []byte("2"))
		return tx.PutRaw("kv", "b/1", []byte("3"))
	})
	if err != nil {
		t.Fatal(err)
	}
	var prefixed, after, reverse []string
	s.View(func(tx *Tx) error {
		tx.ForEach("kv", "a/", func(k string, _ []byte) error { prefixed = append(prefixed, k); return nil })
		tx.ForEachAfter("log", SeqKey(3), func(_ string, v []byte) error { after = append(after, string(v)); return nil })
		tx.ForEachReverse("log", func(_ string, v []byte) error {
			reverse = append(reverse, string(v))
			if len(reverse) == 2 {
				return ErrStop
			}
			return nil
		})
		if tx.Count("log") != 5 {
			t.Errorf("Count = %d, want 5", tx.Count("log"))
		}
		return nil
	})
	if fmt.Sprint(prefixed) != "[a/1 a/2]" {
		t.Errorf("ForEach prefix a/ = %v", prefixed)
	}
	if fmt.Sprint(reverse) != "[5 4]" {
		t.Errorf("ForEachReverse, stopped after 2 = %v", reverse)
	}
	if fmt.Sprint(after) != "[4 5]" {
		t.Errorf("ForEachAfter 3 = %v", after)
	}
}

func TestStore_batchCommitsEveryWriter(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wg sync.WaitGroup
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := s.Batch(func(tx *Tx) error { return tx.Put("batch", fmt.Sprint(i), i) }); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	s.View(func(tx *Tx) error {
		if n := tx.Count("batch"); n != 32 {
			t.Errorf("Count = %d after 32 batched writes", n)
		}
		return nil
	})
}
