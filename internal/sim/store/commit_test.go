package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

// Concurrent commits are grouped, every one is applied, and a failing one fails alone.
func TestCommitter_groupsAndIsolatesFailures(t *testing.T) {
	st, err := OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := NewCommitter(st)
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.Commit(func(tx *Tx) error {
				if i == 7 {
					return errors.New("bad request")
				}
				return tx.PutRaw("t", fmt.Sprint(i), []byte("v"))
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if (i == 7) != (err != nil) {
			t.Errorf("commit %d: %v", i, err)
		}
	}
	if err := st.View(func(tx *Tx) error {
		if n := tx.Count("t"); n != 49 {
			return fmt.Errorf("%d keys stored, want 49", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !c.Idle() {
		t.Fatal("committer not idle after all commits returned")
	}
}
