package sqs

import "github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"

// jsonOps are the operations served over awsJson 1.0 (X-Amz-Target "AmazonSQS.<Operation>").
// AddPermission, RemovePermission and the message-move tasks are not served: they answer the
// unknown-operation error.
func (s *Service) jsonOps() map[string]awswire.JSONOp {
	return map[string]awswire.JSONOp{
		"CreateQueue":                  awswire.Op(s.CreateQueue),
		"GetQueueUrl":                  awswire.Op(s.GetQueueUrl),
		"ListQueues":                   awswire.Op(s.ListQueues),
		"ListDeadLetterSourceQueues":   awswire.Op(s.ListDeadLetterSourceQueues),
		"DeleteQueue":                  awswire.Op(s.DeleteQueue),
		"PurgeQueue":                   awswire.Op(s.PurgeQueue),
		"GetQueueAttributes":           awswire.Op(s.GetQueueAttributes),
		"SetQueueAttributes":           awswire.Op(s.SetQueueAttributes),
		"TagQueue":                     awswire.Op(s.TagQueue),
		"UntagQueue":                   awswire.Op(s.UntagQueue),
		"ListQueueTags":                awswire.Op(s.ListQueueTags),
		"SendMessage":                  awswire.Op(s.SendMessage),
		"SendMessageBatch":             awswire.Op(s.SendMessageBatch),
		"ReceiveMessage":               awswire.Op(s.ReceiveMessage),
		"DeleteMessage":                awswire.Op(s.DeleteMessage),
		"DeleteMessageBatch":           awswire.Op(s.DeleteMessageBatch),
		"ChangeMessageVisibility":      awswire.Op(s.ChangeMessageVisibility),
		"ChangeMessageVisibilityBatch": awswire.Op(s.ChangeMessageVisibilityBatch),
	}
}
