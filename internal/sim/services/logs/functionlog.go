package logs

import (
	"errors"
	"sort"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/runtime"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

var _ runtime.LogSink = (*Service)(nil)

// FunctionLog stores function output as Lambda does: in group /aws/lambda/<function> and the
// environment's stream, both created on first use. It implements runtime.LogSink; failures are
// logged, since the runtime has no one to report them to.
func (s *Service) FunctionLog(group, stream string, events []runtime.LogEvent) {
	times := make([]time.Time, len(events))
	messages := make([]string, len(events))
	for i, e := range events {
		times[i], messages[i] = e.Time, e.Message
	}
	if err := s.AppendFunctionLog(group, stream, times, messages); err != nil {
		s.log.Error("storing function logs", "group", group, "stream", stream, "error", err)
	}
}

// AppendFunctionLog is FunctionLog without the runtime types. Events are sorted by time; the
// PutLogEvents age and size limits do not apply (the simulator produced them just now), and
// empty messages are skipped.
func (s *Service) AppendFunctionLog(group, stream string, times []time.Time, messages []string) error {
	if len(times) != len(messages) {
		return errors.New("logs: times and messages differ in length")
	}
	in := make([]InputLogEvent, 0, len(times))
	for i := range times {
		if messages[i] == "" {
			continue
		}
		in = append(in, InputLogEvent{Timestamp: millis(times[i]), Message: messages[i]})
	}
	if len(in) == 0 {
		return nil
	}
	sort.SliceStable(in, func(i, j int) bool { return in[i].Timestamp < in[j].Timestamp })
	var due []dueBatch
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		due = due[:0]
		g, e := getGroup(tx, group)
		if e != nil {
			if err := s.createGroup(tx, &CreateLogGroupInput{LogGroupName: group}); err != nil {
				return err
			}
			if g, e = getGroup(tx, group); e != nil {
				return e
			}
		}
		st, e := getStream(tx, group, stream)
		if e != nil {
			var err error
			if st, err = s.createStream(tx, group, stream); err != nil {
				return err
			}
		}
		var err error
		due, err = s.appendEvents(tx, g, st, in, s.now())
		return err
	})
	if err != nil {
		return err
	}
	s.schedule(due)
	return nil
}
