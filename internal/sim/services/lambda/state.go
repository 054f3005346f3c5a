package lambda

import (
	"encoding/json"
	"fmt"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Functions move through AWS's states (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html):
// a new function or version is Pending until its environment could be prepared, then Active; an
// update leaves the function Active with LastUpdateStatus InProgress, then Successful. The
// simulator prepares nothing, but it keeps the states for ActivationDelay of simulated time so
// that clients wait for them as they must on AWS (and are refused, as on AWS, when they do not).
//
// A change that starts a transition stores a token with it; the transition completes only if the
// token is still the stored one, so a later change supersedes an earlier pending one. Tokens are
// stored, so a restarted simulator resumes the transitions it had not completed.

// schedule completes the transition identified by token after the activation delay. version is
// "" for $LATEST.
func (s *Service) schedule(name, version, token string) {
	if token == "" {
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return // resumed by the next service built on this store
	}
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		t := s.clock.NewTimer(s.activationDelay)
		select {
		case <-t.C():
		case <-s.done:
			t.Stop()
			return
		}
		if err := s.complete(name, version, token); err != nil {
			s.logger.Error("completing function state change", "function", name, "version", version, "error", err)
		}
	}()
}

// complete makes the function (version) Active and its last update Successful.
func (s *Service) complete(name, version, token string) error {
	return s.store.Update(func(tx *store.Tx) error {
		if version == "" {
			rec, err := getFunction(tx, name)
			if err != nil || rec == nil || rec.Transition != token {
				return err
			}
			activate(&rec.Config)
			rec.Transition = ""
			return putFunction(tx, rec)
		}
		ver, err := getVersion(tx, name, versionNumber(version))
		if err != nil || ver == nil || ver.Transition != token {
			return err
		}
		activate(&ver.Config)
		ver.Transition = ""
		return putVersion(tx, name, ver)
	})
}

func activate(c *FunctionConfiguration) {
	c.State, c.StateReason, c.StateReasonCode = stateActive, "", ""
	c.LastUpdateStatus, c.LastUpdateStatusReason, c.LastUpdateStatusReasonCode = updateSuccessful, "", ""
}

// resume is run once at start: the invoker learns every reservation, and the transitions that
// were under way when the simulator stopped are scheduled again.
func (s *Service) resume() error {
	type pending struct{ name, version, token string }
	var todo []pending
	err := s.store.View(func(tx *store.Tx) error {
		var names []string
		err := tx.ForEach(bucketFunctions, "", func(key string, value []byte) error {
			var rec functionRecord
			if err := json.Unmarshal(value, &rec); err != nil {
				return fmt.Errorf("reading function %s: %w", key, err)
			}
			s.invoker.SetReservedConcurrency(key, rec.ReservedConcurrency)
			if rec.Transition != "" {
				todo = append(todo, pending{key, "", rec.Transition})
			}
			names = append(names, key)
			return nil
		})
		if err != nil {
			return err
		}
		for _, name := range names {
			versions, err := listVersions(tx, name)
			if err != nil {
				return err
			}
			for _, v := range versions {
				if v.Transition != "" {
					todo = append(todo, pending{name, v.Config.Version, v.Transition})
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("lambda: loading functions: %w", err)
	}
	for _, p := range todo {
		s.schedule(p.name, p.version, p.token)
	}
	return nil
}
