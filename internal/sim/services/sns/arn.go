package sns

import (
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Topic names: "made up of only uppercase and lowercase ASCII letters, numbers, underscores, and
// hyphens, and must be between 1 and 256 characters long"; a FIFO topic's name ends with .fifo
// (CreateTopic API reference).
var (
	topicNameRE     = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	fifoTopicNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,251}\.fifo$`)
)

func (s *Service) topicARN(name string) string {
	return fmt.Sprintf("arn:aws:sns:%s:%s:%s", s.cfg.Region, s.cfg.AccountID, name)
}

// arnParts splits an ARN into its six parts, or returns nil.
func arnParts(arn string) []string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		return nil
	}
	return parts
}

// checkTopicARN validates the form of a topic ARN given as member (TopicArn, TargetArn,
// ResourceArn). A well-formed ARN of another account or Region names a topic that does not
// exist here, which the caller reports as NotFound.
func checkTopicARN(member, arn string) *awswire.Error {
	if arn == "" {
		return errMissing(member)
	}
	p := arnParts(arn)
	if p == nil || p[2] != "sns" || strings.Contains(p[5], ":") || !(topicNameRE.MatchString(p[5]) || fifoTopicNameRE.MatchString(p[5])) {
		return errInvalidParameter("%s", member)
	}
	return nil
}

// subscriptionTopic returns the topic ARN a subscription ARN belongs to, or "".
func subscriptionTopic(subARN string) string {
	p := arnParts(subARN)
	if p == nil || p[2] != "sns" {
		return ""
	}
	name, _, ok := strings.Cut(p[5], ":")
	if !ok || name == "" {
		return ""
	}
	return strings.Join(append(p[:5:5], name), ":")
}

// newToken returns a confirmation token: AWS's are long lowercase hex strings.
func newToken() string {
	var b [64]byte
	rand.Read(b[:])
	return fmt.Sprintf("%x", b[:])
}
