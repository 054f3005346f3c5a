package esm

import (
	"context"
	"time"
)

// Notify tells the pollers of a source (a stream ARN) that it has new records, so an idle poller
// reads at once instead of waiting for its next poll. AWS polls a Kinesis shard once a second and
// its pollers take tens to hundreds of milliseconds to deliver; the simulator aims below that, and
// polls on schedule as well, so a source without this hook is still read.
func (s *Service) Notify(sourceARN string) {
	s.wakeMu.Lock()
	defer s.wakeMu.Unlock()
	if ch, ok := s.wake[sourceARN]; ok {
		close(ch)
		delete(s.wake, sourceARN)
	}
}

// wakeChan is closed at the next Notify of sourceARN.
func (s *Service) wakeChan(sourceARN string) <-chan struct{} {
	s.wakeMu.Lock()
	defer s.wakeMu.Unlock()
	if s.wake == nil {
		s.wake = map[string]chan struct{}{}
	}
	ch, ok := s.wake[sourceARN]
	if !ok {
		ch = make(chan struct{})
		s.wake[sourceARN] = ch
	}
	return ch
}

// idle waits for the next poll of an idle shard: d of simulated time, or new records, or ctx.
func (p *streamPoller) idle(ctx context.Context, d time.Duration) error {
	wake := p.s.wakeChan(p.stream)
	t := p.s.cfg.Clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
	case <-wake:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}
