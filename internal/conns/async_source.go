package conns

import (
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// S3 is the client of Amazon S3 (the "s3" endpoint). Path-style addressing is used when S3 is reached
// through an overridden endpoint, which has no <bucket>.host names.
func (c *Clients) S3() *s3.Client {
	return cached(c, "s3", func() *s3.Client {
		return s3.NewFromConfig(c.AWSConfig, func(o *s3.Options) {
			c.SetEndpoint(&o.BaseEndpoint, "s3")
			o.UsePathStyle = c.S3UsePathStyle
		})
	})
}

// SNS is the client of Amazon SNS (the "sns" endpoint).
func (c *Clients) SNS() *sns.Client {
	return cached(c, "sns", func() *sns.Client {
		return sns.NewFromConfig(c.AWSConfig, func(o *sns.Options) { c.SetEndpoint(&o.BaseEndpoint, "sns") })
	})
}

// EventBridge is the client of Amazon EventBridge (the "events" endpoint).
func (c *Clients) EventBridge() *eventbridge.Client {
	return cached(c, "events", func() *eventbridge.Client {
		return eventbridge.NewFromConfig(c.AWSConfig, func(o *eventbridge.Options) { c.SetEndpoint(&o.BaseEndpoint, "events") })
	})
}

// CloudWatchLogs is the client of Amazon CloudWatch Logs (the "logs" endpoint).
func (c *Clients) CloudWatchLogs() *cloudwatchlogs.Client {
	return cached(c, "logs", func() *cloudwatchlogs.Client {
		return cloudwatchlogs.NewFromConfig(c.AWSConfig, func(o *cloudwatchlogs.Options) { c.SetEndpoint(&o.BaseEndpoint, "logs") })
	})
}
