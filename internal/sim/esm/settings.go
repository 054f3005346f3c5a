package esm

// apply copies the given settings onto a mapping's configuration (Update merges: members not
// given keep their values).
func apply(c *EventSourceMappingConfiguration, s *Settings) {
	set := func(dst **int32, v *int32) {
		if v != nil {
			n := *v
			*dst = &n
		}
	}
	set(&c.BatchSize, s.BatchSize)
	set(&c.MaximumBatchingWindowInSeconds, s.MaximumBatchingWindowInSeconds)
	set(&c.ParallelizationFactor, s.ParallelizationFactor)
	set(&c.MaximumRetryAttempts, s.MaximumRetryAttempts)
	set(&c.MaximumRecordAgeInSeconds, s.MaximumRecordAgeInSeconds)
	set(&c.TumblingWindowInSeconds, s.TumblingWindowInSeconds)
	if s.BisectBatchOnFunctionError != nil {
		b := *s.BisectBatchOnFunctionError
		c.BisectBatchOnFunctionError = &b
	}
	if s.DestinationConfig != nil {
		d := *s.DestinationConfig
		c.DestinationConfig = &d
	}
	if s.FunctionResponseTypes != nil {
		c.FunctionResponseTypes = append([]string{}, s.FunctionResponseTypes...)
	}
	if s.FilterCriteria != nil {
		f := FilterCriteria{Filters: append([]Filter{}, s.FilterCriteria.Filters...)}
		c.FilterCriteria = &f
	}
	if s.ScalingConfig != nil {
		sc := *s.ScalingConfig
		c.ScalingConfig = &sc
	}
}

// defaults fills what AWS answers for members not given at creation, so a configuration read
// back equals what a client would have written with the defaults (no drift in Terraform plans).
func defaults(kind string, c *EventSourceMappingConfiguration) {
	i32 := func(n int32) *int32 { return &n }
	if c.MaximumBatchingWindowInSeconds == nil {
		c.MaximumBatchingWindowInSeconds = i32(0)
	}
	if kind == KindSQS {
		if c.BatchSize == nil {
			c.BatchSize = i32(10)
		}
		return
	}
	if c.BatchSize == nil {
		c.BatchSize = i32(100)
	}
	if c.ParallelizationFactor == nil {
		c.ParallelizationFactor = i32(1)
	}
	if c.MaximumRetryAttempts == nil {
		c.MaximumRetryAttempts = i32(-1)
	}
	if c.MaximumRecordAgeInSeconds == nil {
		c.MaximumRecordAgeInSeconds = i32(-1)
	}
	if c.BisectBatchOnFunctionError == nil {
		b := false
		c.BisectBatchOnFunctionError = &b
	}
	if c.TumblingWindowInSeconds == nil {
		c.TumblingWindowInSeconds = i32(0)
	}
	if c.DestinationConfig == nil {
		c.DestinationConfig = &DestinationConfig{OnFailure: &Destination{}}
	}
}
