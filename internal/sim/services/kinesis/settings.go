package kinesis

import (
	"context"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// A stream's settings: retention period (24 to 8,760 hours) and maximum record size (1 to 10 MiB).

// RetentionInput is the input of IncreaseStreamRetentionPeriod
// (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html)
// and DecreaseStreamRetentionPeriod
// (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DecreaseStreamRetentionPeriod.html).
type RetentionInput struct {
	StreamName           *string `json:"StreamName"`
	StreamARN            *string `json:"StreamARN"`
	RetentionPeriodHours *int32  `json:"RetentionPeriodHours"`
}

// IncreaseStreamRetentionPeriod lengthens retention; records already expired stay expired.
func (s *Service) IncreaseStreamRetentionPeriod(_ context.Context, in *RetentionInput) (*struct{}, *awswire.Error) {
	return nil, s.setRetention(in, true)
}

// DecreaseStreamRetentionPeriod shortens retention; older records expire at once.
func (s *Service) DecreaseStreamRetentionPeriod(_ context.Context, in *RetentionInput) (*struct{}, *awswire.Error) {
	return nil, s.setRetention(in, false)
}

func (s *Service) setRetention(in *RetentionInput, increase bool) *awswire.Error {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	v.required(in.RetentionPeriodHours != nil, "retentionPeriodHours")
	if e := v.err(); e != nil {
		return e
	}
	name, e := s.resolveStream(in.StreamName, in.StreamARN)
	if e != nil {
		return e
	}
	hours := int(*in.RetentionPeriodHours)
	// The texts are AWS's as kinesalite and moto record them.
	switch {
	case hours < minRetentionHours:
		return errInvalidArgument("Minimum allowed retention period is %d hours. Requested retention period (%d hours) is too short.", minRetentionHours, hours)
	case hours > maxRetentionHours:
		return errInvalidArgument("Maximum allowed retention period is %d hours. Requested retention period (%d hours) is too long.", maxRetentionHours, hours)
	}
	return s.exec(func(tx *store.Tx) (func(), *awswire.Error) {
		st := s.streams[name]
		if st == nil {
			return nil, errStreamNotFound(name, s.cfg.AccountID)
		}
		if st.rec.Status != statusActive {
			return nil, errStreamNotActive(name, s.cfg.AccountID, st.rec.Status)
		}
		current := st.rec.RetentionHours
		if increase && hours < current {
			return nil, errInvalidArgument("Requested retention period (%d hours) for stream %s can not be shorter than existing retention period (%d hours). Use DecreaseRetentionPeriod API.", hours, name, current)
		}
		if !increase && hours > current {
			return nil, errInvalidArgument("Requested retention period (%d hours) for stream %s can not be longer than existing retention period (%d hours). Use IncreaseRetentionPeriod API.", hours, name, current)
		}
		// Records that expired under the old period stay expired: remove them before it changes.
		rec, _, err := trimStream(tx, st, s.nowMS())
		if err != nil {
			return nil, errInternal(err)
		}
		rec.RetentionHours = hours
		if err := tx.Put(bucketStreams, name, rec); err != nil {
			return nil, errInternal(err)
		}
		return s.replaceStream(st, rec), nil
	})
}

// UpdateMaxRecordSizeInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateMaxRecordSize.html
type UpdateMaxRecordSizeInput struct {
	StreamARN          *string `json:"StreamARN"`
	MaxRecordSizeInKiB *int32  `json:"MaxRecordSizeInKiB"`
}

// UpdateMaxRecordSize sets the largest record (partition key plus data) the stream accepts.
func (s *Service) UpdateMaxRecordSize(_ context.Context, in *UpdateMaxRecordSizeInput) (*struct{}, *awswire.Error) {
	var v validation
	v.streamRef(nil, in.StreamARN)
	if v.required(in.MaxRecordSizeInKiB != nil, "maxRecordSizeInKiB") {
		v.intRange(in.MaxRecordSizeInKiB, "maxRecordSizeInKiB", minRecordSizeKiB, maxRecordSizeKiB)
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	name, e := s.resolveStream(nil, in.StreamARN)
	if e != nil {
		return nil, e
	}
	return nil, s.exec(func(tx *store.Tx) (func(), *awswire.Error) {
		st := s.streams[name]
		if st == nil {
			return nil, errStreamNotFound(name, s.cfg.AccountID)
		}
		if st.rec.Status != statusActive {
			return nil, errStreamNotActive(name, s.cfg.AccountID, st.rec.Status)
		}
		rec := st.rec.clone()
		rec.MaxRecordSizeKiB = int(*in.MaxRecordSizeInKiB)
		if err := tx.Put(bucketStreams, name, rec); err != nil {
			return nil, errInternal(err)
		}
		return s.replaceStream(st, rec), nil
	})
}
